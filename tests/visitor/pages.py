"""Every kind of public page a visitor can meet, rendered in one language.

Shared by the tests that read pages as a visitor does (their language, their HTML):
home and search, every centre page, both forms empty and with errors, the check
page, the confirmation, the status page with its withdraw step, and the error pages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import Flask, abort
from flask.testing import FlaskClient
from flask_wtf.csrf import CSRFError

from portal.core.settings import DEV_BASE_URL
from tests.referrals.helpers import (
    PARENT,
    ZZ,
    form_key,
    parent_answers,
    pdf_bytes,
    upload,
    zz_answers,
)

ROOT = Path(__file__).resolve().parents[2]
CONTENT = ROOT / "content"
GOSTYNIN_CODE = "09-500"  # another centre's postal code, for the parent's form of Tomice


@dataclass(frozen=True)
class Shown:
    """One page as the visitor got it."""

    label: str
    status: int
    html: str


def prefix(lang: str) -> str:
    return "" if lang == "pl" else f"/{lang}"


def centre_pages() -> list[str]:
    """Every page of every centre, its own and the defaults it gets."""
    defaults = {p.name.split(".")[0] for p in (CONTENT / "_defaults").glob("*.pl.md")}
    paths = []
    for centre_yml in sorted(CONTENT.glob("*/centre.yml")):
        centre = centre_yml.parent
        own = {p.name.split(".")[0] for p in centre.glob("*.pl.md")}
        for slug in sorted(own | defaults):
            paths.append(f"/{centre.name}/" if slug == "index" else f"/{centre.name}/{slug}")
    return paths


def add_error_routes(app: Flask) -> None:
    """/<lang>/test-error/<code>: the error pages, in the language of the path."""

    def fail(code: str, **_kwargs: Any) -> str:
        if code == "csrf":
            raise CSRFError("expired")
        if code == "500":
            raise RuntimeError("a bug, for the test")
        abort(int(code))

    for lang in ("pl", "en", "uk"):
        app.add_url_rule(f"{prefix(lang)}/test-error/<code>", f"test_error_{lang}", fail)
    app.config["PROPAGATE_EXCEPTIONS"] = False


def _submit(client: FlaskClient, path: str, data: dict[str, Any]) -> tuple[Shown, str]:
    """Send a form to the end; the confirmation page and its status link."""
    response = client.post(path, data={**data, "step": "submit"})
    assert response.status_code == 302, response.text[:2000]
    sent = client.get(response.headers["Location"])
    link = re.search(rf'href="{re.escape(DEV_BASE_URL)}(/(?:en/|uk/)?status/[^"]+)"', sent.text)
    assert link, sent.text
    return Shown("", sent.status_code, sent.text), link.group(1)


def form_pages(client: FlaskClient, lang: str) -> list[Shown]:
    """Both forms: empty, with every error, with the urgent notice, the check pages."""
    pre = prefix(lang)
    shown = []

    def get(label: str, path: str, data: dict[str, Any] | None = None) -> None:
        response = client.get(pre + path) if data is None else client.post(pre + path, data=data)
        shown.append(Shown(label, response.status_code, response.text))

    get("parent form", PARENT)
    get("parent pre-check", PARENT + "/czy-to-dla-mnie")
    get("za-zyciem pre-check, errors", "/gostynin/za-zyciem/czy-to-dla-mnie", {"postal_code": "1"})
    exits = [
        ("another centre", PARENT, {"postal_code": GOSTYNIN_CODE, "children": "yes"}),
        ("no centre", PARENT, {"postal_code": "00-001", "children": "yes"}),
        (
            "the other form",
            "/gostynin/za-zyciem",
            {"postal_code": GOSTYNIN_CODE, "situation": "neither"},
        ),
    ]
    for label, form, answers in exits:
        get(f"pre-check exit, {label}", form + "/czy-to-dla-mnie", answers)
    get("parent form, all errors", PARENT, {"form_key": form_key(client, PARENT), "step": "check"})
    bad = parent_answers(
        form_key(client, PARENT),
        full_name="",
        postal_code="34100x",
        phone="12",
        children_count="dwoje",
        child_in_danger="yes",
    )
    get("parent form, wrong answers", PARENT, bad)
    urgent = parent_answers(
        form_key(client, PARENT), child_in_danger="yes", postal_code=GOSTYNIN_CODE
    )
    get("parent check page, urgent, another centre", PARENT, urgent)
    get("za-zyciem form", ZZ)
    get("za-zyciem form, all errors", ZZ, {"form_key": form_key(client, ZZ), "step": "check"})
    family = {
        "form_key": form_key(client, ZZ),
        "applicant": "family",
        "has_pesel": "no",
        "step": "check",
    }
    get("za-zyciem form, conditional errors", ZZ, family)
    both_dates = zz_answers(
        form_key(client, ZZ),
        has_pesel="no",
        pesel=None,
        birth_date="30.02.1990",
        due_date="31.02.2027",
    )
    get("za-zyciem form, two wrong dates", ZZ, both_dates)
    zz = {**zz_answers(form_key(client, ZZ)), "certificates": [upload(pdf_bytes())]}
    get("za-zyciem check page", ZZ, zz)
    return shown


def sent_and_status_pages(client: FlaskClient, lang: str) -> list[Shown]:
    """Confirmations and status pages: urgent with e-mail, plain without, "Za życiem"."""
    pre = prefix(lang)
    shown = []
    cases = [
        (
            "urgent parent request",
            PARENT,
            parent_answers(form_key(client, PARENT), child_in_danger="yes"),
        ),
        (
            "parent request without e-mail",
            PARENT,
            parent_answers(form_key(client, PARENT), email=""),
        ),
        (
            "za-zyciem application",
            ZZ,
            {**zz_answers(form_key(client, ZZ)), "certificates": [upload(pdf_bytes())]},
        ),
    ]
    for label, path, data in cases:
        sent, status_path = _submit(client, pre + path, data)
        shown.append(Shown(f"confirmation, {label}", sent.status, sent.html))
        status = client.get(status_path)
        shown.append(Shown(f"status, {label}", status.status_code, status.text))
    withdraw_path = status_path + "/wycofaj"
    ask = client.post(withdraw_path, data={"step": "ask"})
    shown.append(Shown("withdraw confirmation", ask.status_code, ask.text))
    client.post(withdraw_path, data={"step": "confirm"})
    after = client.get(status_path)
    shown.append(Shown("status, withdrawn", after.status_code, after.text))
    return shown


def every_page_kind(app: Flask, lang: str) -> list[Shown]:
    """Every page kind in `lang`; the app gets error routes (see `add_error_routes`)."""
    add_error_routes(app)
    client = app.test_client()
    pre = prefix(lang)
    shown = []
    plain = [
        ("home", "/"),
        ("search found", "/?q=Tomice"),
        ("search by postal code", "/?q=34100"),
        ("search found nothing", "/?q=Zzyzx"),
        ("404 page", "/tomice/nie-ma-takiej-strony"),
        ("404 centre", "/nie-ma-takiego-osrodka/"),
        ("status, bad link", "/status/nieprawidlowy-link"),
        *[(f"centre page {path}", path) for path in centre_pages()],
        *[
            (f"error {code}", f"/test-error/{code}")
            for code in ("400", "413", "429", "500", "csrf")
        ],
    ]
    for label, path in plain:
        response = client.get(pre + path)
        shown.append(Shown(label, response.status_code, response.text))
    shown += form_pages(client, lang)
    shown += sent_and_status_pages(client, lang)
    return shown
