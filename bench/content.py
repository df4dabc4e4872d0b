"""Content for the run: `_defaults/` copied from the real tree plus N generated centres."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import yaml

from portal.core.settings import LANGUAGES, PROJECT_ROOT

REAL_CONTENT = PROJECT_ROOT / "content"
# The home page of a real centre is the model for every generated one (same length).
MODEL_CENTRE = REAL_CONTENT / "tomice"
KINDS = ("GOPS", "MOPS", "OPS")


@dataclass(frozen=True)
class GenCentre:
    """What the rest of the run needs to know of a generated centre."""

    slug: str
    prefix: str
    postal_code: str


def prefix_of(number: int) -> str:
    """Three capital letters from a base-26 counter: 0 → AAA, 1 → AAB, …"""
    assert 0 <= number < 26**3
    letters = []
    for _ in range(3):
        number, digit = divmod(number, 26)
        letters.append(chr(ord("A") + digit))
    return "".join(reversed(letters))


def postal_code_of(number: int) -> str:
    """A distinct NN-NNN code per centre (10-000, 10-001, …)."""
    return f"{10 + number // 1000:02d}-{number % 1000:03d}"


def answer_days_of(number: int) -> int:
    """The generated centre's `answer_days`."""
    return 5 + number % 10


def centre_yaml(number: int, centre: GenCentre) -> dict[str, object]:
    kind = KINDS[number % 3]
    town = f"Benchowo {number}"
    return {
        "name": f"{'Gminny' if kind == 'GOPS' else 'Miejski'} Ośrodek Pomocy Społecznej w {town}",
        "short_name": f"{kind} {town}",
        "kind": kind,
        "gmina": town,
        "powiat": f"powiat {number // 10}",
        "voivodeship": "mazowieckie",
        "address": {
            "street": f"ul. Długa {number % 90 + 1}",
            "postal_code": centre.postal_code,
            "city": town,
        },
        "phones": [
            {
                "number": f"22 {number:03d} 00 00"[:13],
                "label": {"pl": "Sekretariat", "en": "Office", "uk": "Секретаріат"},
            }
        ],
        "email": f"ops-{number}@example.org",
        "hours": [
            {
                "days": {
                    "pl": "poniedziałek–piątek",
                    "en": "Monday to Friday",
                    "uk": "понеділок–пʼятниця",
                },
                "time": "7:30–15:30",
            }
        ],
        "postal_codes": [centre.postal_code],
        "bip": f"https://example.org/bip/ops-{number}",
        "inbox": f"asystent-{number}@example.org",
        "dpo_email": f"iod-{number}@example.org",
        "answer_days": answer_days_of(number),
        "reference_prefix": centre.prefix,
    }


def _home_page(lang: str, title: str) -> str:
    text = (MODEL_CENTRE / f"index.{lang}.md").read_text(encoding="utf-8")
    _empty, front, body = text.split("---\n", 2)
    meta = yaml.safe_load(front)
    meta["title"] = title
    return "---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False) + "---\n" + body


def make_content(target: Path, count: int) -> list[GenCentre]:
    """Write `_defaults/` and `count` centres under `target`; return them in order."""
    shutil.copytree(REAL_CONTENT / "_defaults", target / "_defaults")
    centres = []
    for number in range(count):
        centre = GenCentre(f"ops-bench-{number:04d}", prefix_of(number), postal_code_of(number))
        folder = target / centre.slug
        folder.mkdir(parents=True)
        data = centre_yaml(number, centre)
        (folder / "centre.yml").write_text(
            yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8"
        )
        for lang in LANGUAGES:
            page = _home_page(lang, f"Asystent rodziny: {data['short_name']}")
            (folder / f"index.{lang}.md").write_text(page, encoding="utf-8")
        centres.append(centre)
    return centres
