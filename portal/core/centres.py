"""Centres: `content/<slug>/centre.yml` read into `Centre` records."""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import time
from pathlib import Path
from typing import Any

import yaml

from portal.core import yamlfiles
from portal.core.i18n import text_in
from portal.core.problems import Problem, key_lines
from portal.core.settings import LANGUAGES

log = logging.getLogger(__name__)

RESERVED_SLUGS = frozenset(
    {"en", "uk", "pl", "panel", "status", "static", "healthz", "wznow"}  # wznow: saved drafts
)
SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
POSTAL_RE = re.compile(r"^[0-9]{2}-[0-9]{3}$")
PREFIX_RE = re.compile(r"^[A-Z]{3}$")
CLOCK_RE = re.compile(r"^([01]?[0-9]|2[0-3]):([0-5][0-9])$")
# "7:30–15:30": the end of an opening time (after any dash).
HOURS_END_RE = re.compile(r"[-–—]\s*([01]?[0-9]|2[0-3]):([0-5][0-9])\s*$")
# When neither `closes_at` nor the opening hours say it: the usual end of an office day.
DEFAULT_CLOSING = time(15, 0)
KINDS = ("GOPS", "MOPS", "OPS")
REQUIRED = (
    "name",
    "short_name",
    "kind",
    "gmina",
    "powiat",
    "address",
    "phones",
    "email",
    "hours",
    "postal_codes",
    "bip",
    "inbox",
    "answer_days",
    "reference_prefix",
)


@dataclass(frozen=True)
class Phone:
    number: str
    label: dict[str, str]


@dataclass(frozen=True)
class Hours:
    days: dict[str, str]
    time: str


@dataclass(frozen=True)
class Centre:
    """One social-welfare centre and the facts its pages may name."""

    slug: str
    name: str
    short_name: str
    kind: str
    gmina: str
    powiat: str
    voivodeship: str
    street: str
    postal_code: str
    city: str
    phones: tuple[Phone, ...]
    email: str
    hours: tuple[Hours, ...]
    postal_codes: frozenset[str]
    bip: str
    inbox: str
    dpo_email: str
    answer_days: int
    reference_prefix: str
    # After this local time a request counts as arriving on the next working day.
    closes_at: time = DEFAULT_CLOSING
    search_text: str = field(default="", compare=False)

    @property
    def address(self) -> str:
        return f"{self.street}, {self.postal_code} {self.city}"

    def hours_text(self, lang: str) -> str:
        return "; ".join(f"{text_in(h.days, lang)} {h.time}" for h in self.hours)

    def phones_text(self, lang: str) -> str:
        parts = []
        for phone in self.phones:
            label = text_in(phone.label, lang)
            parts.append(f"{label}: {phone.number}" if label else phone.number)
        return "; ".join(parts)

    def facts(self, lang: str) -> dict[str, str]:
        """The values placeholders in pages may name (`{{ centre.<key> }}`)."""
        return {
            "name": self.name,
            "short_name": self.short_name,
            "kind": self.kind,
            "gmina": self.gmina,
            "address": self.address,
            "phone": self.phones[0].number if self.phones else "",
            "phones": self.phones_text(lang),
            "email": self.email,
            "hours": self.hours_text(lang),
            "bip": self.bip,
            "answer_days": str(self.answer_days),
            "dpo_email": self.dpo_email,
        }


PLACEHOLDER_KEYS = frozenset(
    (
        "name short_name kind gmina address phone phones email hours bip answer_days dpo_email"
    ).split()
)


# Ukrainian (and Russian) letters as a Polish reader would write them, so that a visitor
# typing a Polish place name in Cyrillic ("Гостинін", "Томіце") finds it.
CYRILLIC_TO_POLISH = str.maketrans(
    dict(
        pair.split("=")
        for pair in """а=a б=b в=w г=g ґ=g д=d е=e є=je ж=z з=z и=y і=i ї=ji й=j к=k л=l м=m
        н=n о=o п=p р=r с=s т=t у=u ф=f х=ch ц=c ч=cz ш=sz щ=szcz ь= ю=ju я=ja ы=y э=e ё=jo
        ъ= ʼ= '= ’=""".split()
    )
)
POSTAL_DIGITS_RE = re.compile(r"(?<![0-9-])([0-9]{2})([0-9]{3})(?![0-9])")


def fold(text: str) -> str:
    """Lower-case, strip diacritics (ł too), Cyrillic in Polish letters: `redziny` and
    `Рендзіни`... find `Rędziny`, `Гостинін` finds `Gostynin`."""
    text = text.casefold().replace("ł", "l").translate(CYRILLIC_TO_POLISH)
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _nasals_spelt_out(text: str) -> str:
    """ą and ę as heard ("on", "en"): how Rędziny is written in Cyrillic (Рендзіни)."""
    return text.casefold().replace("ą", "on").replace("ę", "en")


class CentreError(ValueError):
    """A centre.yml that cannot be used; carries the problems found."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems


def _labels(value: Any) -> dict[str, str]:
    if value is None:
        return {}
    if isinstance(value, str):
        return {"pl": value}
    if isinstance(value, dict) and all(k in LANGUAGES for k in value):
        return {str(k): str(v) for k, v in value.items()}
    raise TypeError("labels must be text or a mapping of pl/en/uk")


def _field_problems(data: dict[str, Any], path: Path, lines: dict[str, int]) -> list[Problem]:
    problems = [
        Problem(path, lines.get(key, 1), f"missing field '{key}'")
        for key in REQUIRED
        if key not in data
    ]
    if problems:
        return problems
    checks: list[tuple[str, bool, str]] = [
        ("kind", data["kind"] in KINDS, f"kind must be one of {', '.join(KINDS)}"),
        (
            "postal_codes",
            isinstance(data["postal_codes"], list)
            and all(POSTAL_RE.match(str(c)) for c in data["postal_codes"]),
            "postal_codes must be a list of NN-NNN codes",
        ),
        (
            "answer_days",
            isinstance(data["answer_days"], int) and 0 < data["answer_days"] < 61,
            "answer_days must be a whole number of working days (1-60)",
        ),
        (
            "reference_prefix",
            bool(PREFIX_RE.match(str(data["reference_prefix"]))),
            "reference_prefix must be three capital letters",
        ),
        (
            "address",
            isinstance(data["address"], dict)
            and {"street", "postal_code", "city"} <= set(data["address"]),
            "address needs street, postal_code and city",
        ),
        (
            "phones",
            isinstance(data["phones"], list) and len(data["phones"]) > 0,
            "phones must be a non-empty list",
        ),
        ("hours", isinstance(data["hours"], list), "hours must be a list"),
        (
            "closes_at",
            "closes_at" not in data or bool(CLOCK_RE.match(str(data["closes_at"]))),
            'closes_at must be a time in quotes, like "15:30"',
        ),
    ]
    return [Problem(path, lines.get(key, 1), msg) for key, ok, msg in checks if not ok]


def parse_centre(slug: str, path: Path) -> Centre:
    """Read one centre.yml; raise `CentreError` listing every problem."""
    return parse_centre_text(slug, path.read_text(encoding="utf-8"), path)


def parse_centre_text(slug: str, text: str, path: Path) -> Centre:
    """Read the text of a centre.yml (`path` names it in messages); raise `CentreError`."""
    try:
        data = yamlfiles.load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        raise CentreError([Problem(path, line, f"invalid YAML: {exc}")]) from exc
    if not isinstance(data, dict):
        raise CentreError([Problem(path, 1, "centre.yml must be a mapping")])
    problems = _field_problems(data, path, {})
    if problems:  # line numbers only for messages: composing costs as much as loading
        problems = _field_problems(data, path, key_lines(text))
    if not SLUG_RE.match(slug) or slug in RESERVED_SLUGS:
        problems.append(Problem(path, 1, f"'{slug}' cannot be a centre's folder name"))
    if problems:
        raise CentreError(problems)
    try:
        return _build(slug, data)
    except (TypeError, KeyError, ValueError) as exc:
        raise CentreError([Problem(path, 1, f"invalid value: {exc}")]) from exc


def _build(slug: str, data: dict[str, Any]) -> Centre:
    address = data["address"]
    name = str(data["name"])
    codes = frozenset(str(c) for c in data["postal_codes"])
    names = " ".join(
        [
            name,
            str(data["short_name"]),
            str(data["gmina"]),
            str(data["powiat"]),
            str(address["city"]),
        ]
    )
    search = " ".join([slug, fold(names), fold(_nasals_spelt_out(names)), *sorted(codes)])
    return Centre(
        slug=slug,
        name=name,
        short_name=str(data["short_name"]),
        kind=str(data["kind"]),
        gmina=str(data["gmina"]),
        powiat=str(data["powiat"]),
        voivodeship=str(data.get("voivodeship", "")),
        street=str(address["street"]),
        postal_code=str(address["postal_code"]),
        city=str(address["city"]),
        phones=tuple(Phone(str(p["number"]), _labels(p.get("label"))) for p in data["phones"]),
        email=str(data["email"]),
        hours=tuple(Hours(_labels(h["days"]), str(h["time"])) for h in data["hours"]),
        postal_codes=codes,
        bip=str(data["bip"]),
        inbox=str(data["inbox"]),
        dpo_email=str(data.get("dpo_email", data["email"])),
        answer_days=int(data["answer_days"]),
        reference_prefix=str(data["reference_prefix"]),
        closes_at=closing_time(data),
        search_text=search,
    )


def _clock(match: re.Match[str]) -> time:
    return time(int(match.group(1)), int(match.group(2)))


def closing_time(data: dict[str, Any]) -> time:
    """`closes_at` if the centre gives it; else the earliest end of its opening hours
    (a request after it may arrive on a day the office is already closed)."""
    given = CLOCK_RE.match(str(data.get("closes_at", "")))
    if given:
        return _clock(given)
    ends = [HOURS_END_RE.search(str(h.get("time", ""))) for h in data.get("hours") or []]
    found = [_clock(m) for m in ends if m]
    return min(found) if found else DEFAULT_CLOSING


class CentreRegistry:
    """Every centre under `content/`, loaded once; a broken one is logged and left out."""

    def __init__(self, centres: dict[str, Centre], problems: list[Problem]) -> None:
        self._centres = dict(sorted(centres.items(), key=lambda kv: fold(kv[1].name)))
        self.problems = problems
        self._by_postal: dict[str, Centre] = {}
        for centre in self._centres.values():
            for code in centre.postal_codes:
                self._by_postal.setdefault(code, centre)

    @classmethod
    def load(cls, content_dir: Path) -> CentreRegistry:
        centres: dict[str, Centre] = {}
        problems: list[Problem] = []
        for path in sorted(content_dir.glob("*/centre.yml")):
            slug = path.parent.name
            if slug.startswith("_"):
                continue
            try:
                centres[slug] = parse_centre(slug, path)
            except CentreError as exc:
                problems.extend(exc.problems)
                log.error("centre left out: %s", exc)
        return cls(centres, problems)

    def with_documents(self, documents: Mapping[str, tuple[Path, str]]) -> CentreRegistry:
        """This registry with some centres read from other texts (slug -> label, text).

        A text that cannot be used is logged, reported in `problems`, and the centre
        stays as it was.
        """
        centres = dict(self._centres)
        problems = list(self.problems)
        for slug, (label, text) in sorted(documents.items()):
            try:
                centres[slug] = parse_centre_text(slug, text, label)
            except CentreError as exc:
                problems.extend(exc.problems)
                log.error("published centre details left out: %s", exc)
        return CentreRegistry(centres, problems)

    def __iter__(self) -> Iterator[Centre]:
        return iter(self._centres.values())

    def __len__(self) -> int:
        return len(self._centres)

    def get(self, slug: str) -> Centre | None:
        return self._centres.get(slug)

    def by_postal_code(self, code: str) -> Centre | None:
        """The centre serving a postal code, if any centre of the portal does."""
        return self._by_postal.get(code)

    def search(self, query: str) -> list[Centre]:
        """Centres whose name, gmina, powiat, city or postal codes contain every word;
        a postal code may be typed without its dash (34100)."""
        words = fold(POSTAL_DIGITS_RE.sub(r"\1-\2", query)).split()
        if not words:
            return list(self)
        return [c for c in self if all(w in c.search_text for w in words)]
