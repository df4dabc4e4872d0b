"""The staff panel in a real browser: a worker triaging a request by keyboard alone,
the first login (set password, TOTP enrolment), and axe-core on every kind of panel page.

The keyboard tests press keys only (Tab, Shift+Tab, arrows, typing, Enter); a page
may be opened by its address (`page.goto`), as a person would type it or follow a
link from an e-mail. Each runs at desktop width and at 360 px, where nothing may
scroll sideways. axe-core checks WCAG 2.0/2.1 A and AA (see `flows.AXE_TAGS`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.browser.conftest import PanelServer
from tests.browser.panel_flows import (
    attachment_headers,
    check_page,
    choose,
    code_for,
    day_is_month,
    enter,
    flash_text,
    full_login,
    history,
    is_focused,
    log_in,
    main_text,
    new_request,
    new_staff,
    press_button,
    second_factor,
    summary_value,
    tab,
    type_date,
    type_into,
    unique_email,
    wrong_code,
)
from tests.panel.factories import PASSWORD

WIDTHS = pytest.mark.parametrize("phone", [False, True], ids=["desktop", "360px"])
PanelPage = Callable[..., Any]


def queue_references(page: Any) -> list[str]:
    return [t.strip() for t in page.locator("table.queue tbody th[scope=row]").all_inner_texts()]


def urgent_flags(page: Any) -> list[bool]:
    rows = page.locator("table.queue tbody tr")
    return [rows.nth(i).locator(".tag-urgent").count() == 1 for i in range(rows.count())]


@WIDTHS
def test_worker_triages_a_request_by_keyboard_alone(
    panel_server: PanelServer, panel_page: PanelPage, phone: bool
) -> None:
    app = panel_server.app
    worker = new_staff(app, "tomice", "worker")
    urgent = new_request(app, "tomice", urgent=True)
    mine = new_request(app, "tomice")  # newer, but not urgent: below the urgent one
    other = new_request(app, "gostynin", kind="za-zyciem")
    rid, ref = mine.id, mine.reference
    page = panel_page(phone=phone)

    # Not logged in: the panel sends to the login page, which comes back afterwards.
    page.goto("/panel/?status=all")
    assert urlsplit(page.url).path == "/panel/logowanie", page.url
    check_page(page, "the login page", phone=phone)

    # A wrong password: one generic error, focus on the error summary.
    response = log_in(page, worker.email, "nie to hasło, zupełnie")
    assert response.status == 400
    assert "Nieprawidłowy adres e-mail lub hasło." in main_text(page)
    assert is_focused(page, "[data-error-summary]"), "the error summary takes the focus"
    check_page(page, "the login page with an error", phone=phone)
    # The summary's link leads to the e-mail field; then the right password.
    tab(page, ".error-summary a[href='#email']")
    page.keyboard.press("Enter")
    assert is_focused(page, "#email")
    page.keyboard.press("Control+A")
    page.keyboard.type(worker.email)
    type_into(page, "#password", PASSWORD)
    enter(page)
    assert page.url.endswith("/panel/dwuetapowe")
    check_page(page, "the second-factor page", phone=phone)
    assert worker.secret is not None
    response = second_factor(page, wrong_code(worker.secret))
    assert response.status == 400 and "Nieprawidłowy kod." in main_text(page)
    check_page(page, "the second-factor page with an error", phone=phone)
    tab(page, "#code")
    page.keyboard.press("Control+A")
    page.keyboard.type(code_for(worker.secret))
    enter(page)
    assert urlsplit(page.url).path == "/panel/", page.url
    assert parse_qs(urlsplit(page.url).query) == {"status": ["all"]}, "back where it started"

    # The queue: its own centre's requests only, urgent ones first.
    check_page(page, "the queue", phone=phone)
    references = queue_references(page)
    assert urgent.reference in references and ref in references
    assert other.reference not in references and "GOS-" not in main_text(page)
    flags = urgent_flags(page)
    assert flags == sorted(flags, reverse=True), f"urgent rows first: {flags}"
    assert references.index(urgent.reference) < references.index(ref)

    # Filters by keyboard: this reference, new, a kind, nobody's, received since a date.
    since = day_is_month(date.today(), step=-1)
    type_into(page, "#reference", ref)
    choose(page, "#status", "new")
    choose(page, "#kind", "zgloszenie")
    choose(page, "#assignee", "unassigned")
    type_date(page, "#date_from", since)
    press_button(page, ".filters button[type=submit]")
    # The order travels with the filters (the form's own default, newest first).
    wanted = {
        "reference": [ref],
        "status": ["new"],
        "kind": ["zgloszenie"],
        "assignee": ["unassigned"],
        "sort": ["newest"],
        "date_from": [since.isoformat()],
    }
    assert parse_qs(urlsplit(page.url).query) == wanted, page.url
    assert queue_references(page) == [ref]
    check_page(page, "the queue with filters applied", phone=phone)

    # Open the request.
    response = press_button(page, f"table.queue a[href$='/panel/zgloszenia/{rid}']")
    assert response.headers["cache-control"] == "no-store"
    assert urlsplit(page.url).path == f"/panel/zgloszenia/{rid}"
    assert summary_value(page, "Status") == "Nowe"
    assert "Zofia Testowa" in main_text(page)  # the decrypted answers
    check_page(page, "the request page", phone=phone)

    # Status: new → in review.
    choose(page, "#status-status", "in_review")
    press_button(page, "#status button[type=submit]")
    # Back at the top of the page, where the confirmation takes focus (read out, in view).
    assert urlsplit(page.url).fragment == ""
    assert page.evaluate("document.activeElement.classList.contains('panel-notice')")
    assert flash_text(page) == "Status zmieniony."
    assert summary_value(page, "Status") == "W analizie"
    assert "Zmiana statusu: Nowe → W analizie" in history(page)
    check_page(page, "the request page after a change (a message shown)", phone=phone)

    # Assign it to myself.
    choose(page, "#assign-assignee", str(worker.id))
    press_button(page, "#assign button[type=submit]")
    assert flash_text(page) == "Zapisano, kto prowadzi zgłoszenie."
    assert summary_value(page, "Prowadzi") == worker.email
    assert f"Przydzielenie: {worker.email}" in history(page)  # an account without a name

    # An internal note.
    note = "Zadzwonić do rodziny w poniedziałek."
    type_into(page, "#note-text", note)
    press_button(page, "form[action$='/notatki'] button[type=submit]")
    assert flash_text(page) == "Notatka dodana."
    assert page.locator(".notes .note-text").all_inner_texts() == [note]
    assert "Notatka" in history(page)

    # The date of the social worker's interview.
    interview = day_is_month(date.today())
    type_date(page, "#interview-day", interview)
    press_button(page, "#interview button[type=submit]")
    assert flash_text(page) == "Zapisano datę wywiadu środowiskowego."
    assert summary_value(page, "Wywiad środowiskowy") not in ("", "nie wyznaczono")
    assert str(interview.year) in summary_value(page, "Wywiad środowiskowy")
    assert "Data wywiadu środowiskowego" in history(page)

    # The file: a download link, reached by keyboard, served as an attachment only.
    link = "main a[href*='/pliki/']"
    tab(page, link)
    href = page.locator(link).get_attribute("href")
    assert page.locator(link).get_attribute("download") is not None
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    assert download.value.suggested_filename == "zaświadczenie.pdf"
    headers = attachment_headers(page, href)
    assert headers["content-disposition"].startswith("attachment")
    assert headers["x-content-type-options"] == "nosniff"
    assert "sandbox" in headers["content-security-policy"]
    assert headers["cache-control"] == "no-store"

    # Every step is in the history, with who took it.
    page.reload()
    steps = history(page)
    for expected in (
        "Zmiana statusu: Nowe → W analizie",
        f"Przydzielenie: {worker.email}",
        "Notatka",
        "Data wywiadu środowiskowego",
        "Pobranie pliku",
    ):
        assert expected in steps, f"{expected!r} not in the history: {steps}"
    # Openings are folded into one line above the changes.
    views = page.locator("main p.views").inner_text()
    assert views.startswith("Otwarte ") and f"ostatnio: {worker.email}" in views, views
    whos = page.locator("#history-caption ~ tbody tr td:nth-child(2)").all_inner_texts()
    assert set(whos) == {worker.email}

    # Another centre's request, and its file, are simply not found.
    response = page.goto(f"/panel/zgloszenia/{other.id}")
    assert response.status == 404
    assert page.locator("h1").inner_text() == "Nie ma takiej strony"
    assert other.reference not in page.content()
    check_page(page, "the 404 page of another centre's request", phone=phone)
    other_file = f"/panel/zgloszenia/{other.id}/pliki/{other.attachment_ids[0]}"
    assert page.request.get(other_file).status == 404
    # Nor through this centre's request.
    other_file = f"/panel/zgloszenia/{rid}/pliki/{other.attachment_ids[0]}"
    assert page.request.get(other_file).status == 404

    # Log out, from the panel bar.
    page.goto(f"/panel/zgloszenia/{rid}")
    press_button(page, ".panel-user button[type=submit]")
    assert "/panel/logowanie" in page.url
    assert "Wylogowano." in main_text(page)
    check_page(page, "the login page after logging out", phone=phone)
    page.goto(f"/panel/zgloszenia/{urgent.id}")
    assert "/panel/logowanie" in page.url, "logged out: the panel asks to log in again"


@WIDTHS
def test_first_login_sets_a_password_and_enrols_totp(
    panel_server: PanelServer, panel_page: PanelPage, phone: bool
) -> None:
    """`create-user` prints a link; the browser sets a password, enrols TOTP, gets recovery
    codes and reaches the queue; a later login works with a recovery code."""
    app = panel_server.app
    email = unique_email("nowy", "rozan")
    result = app.test_cli_runner().invoke(
        args=["create-user", email, "--centre", "rozan", "--role", "worker"]
    )
    assert result.exit_code == 0, result.output
    link = result.output.strip().splitlines()[-1]
    assert link.startswith(f"{panel_server.url}/panel/haslo/"), result.output
    page = panel_page(phone=phone)

    page.goto(link)
    check_page(page, "the set-password page", phone=phone)
    type_into(page, "#password", "krótkie")
    type_into(page, "#confirm", "krótkie")
    response = enter(page)
    assert response.status == 400
    check_page(page, "the set-password page with an error", phone=phone)
    tab(page, "#password")
    page.keyboard.press("Control+A")
    page.keyboard.type(PASSWORD)
    tab(page, "#confirm")
    page.keyboard.press("Control+A")
    page.keyboard.type(PASSWORD)
    enter(page)
    assert page.locator("h1").inner_text() == "Hasło ustawione"
    check_page(page, "the password-set page", phone=phone)
    press_button(page, "main a.button")
    assert "/panel/logowanie" in page.url

    # First login: the second factor is set up now.
    log_in(page, email)
    assert page.url.endswith("/panel/dwuetapowe/konfiguracja"), page.url
    assert page.locator(".qr svg[role=img][aria-label]").count() == 1
    secret = "".join(page.locator("code.secret").inner_text().split())
    assert re.fullmatch(r"[A-Z2-7]{16,}", secret), secret
    check_page(page, "the TOTP setup page", phone=phone)
    response = second_factor(page, wrong_code(secret))
    assert response.status == 400
    check_page(page, "the TOTP setup page with an error", phone=phone)
    assert page.locator("code.secret").inner_text().replace(" ", "") == secret, "same secret"
    tab(page, "#code")
    page.keyboard.press("Control+A")
    page.keyboard.type(code_for(secret))
    enter(page)
    codes = [c.strip() for c in page.locator(".recovery-codes code").all_inner_texts()]
    assert len(codes) >= 5 and len(set(codes)) == len(codes), codes
    check_page(page, "the recovery codes page", phone=phone)
    press_button(page, "main a.button")
    assert urlsplit(page.url).path == "/panel/"
    assert email in page.locator(".panel-user").inner_text()

    # Log out; back in with a recovery code instead of the phone.
    press_button(page, ".panel-user button[type=submit]", backwards=True)
    assert "/panel/logowanie" in page.url
    log_in(page, email)
    assert page.url.endswith("/panel/dwuetapowe")
    second_factor(page, codes[0])
    assert urlsplit(page.url).path == "/panel/"


@WIDTHS
def test_manager_pages_have_no_axe_violations(
    panel_server: PanelServer, panel_page: PanelPage, phone: bool
) -> None:
    """Accounts, one account, a new account (empty and with errors), the audit log, and
    the request page with a form error; all by a manager."""
    app = panel_server.app
    manager = new_staff(app, "redziny", "manager")
    worker = new_staff(app, "redziny", "worker")
    stored = new_request(app, "redziny", urgent=True, outside_area=True)
    page = panel_page(phone=phone)
    full_login(page, manager)

    page.goto("/panel/?status=all&kind=zgloszenie&assignee=all&date_from=2020-01-01")
    assert stored.reference in queue_references(page)
    assert "Adres poza terenem" in page.locator("table.queue").inner_text()
    check_page(page, "the manager's queue with filters", phone=phone)
    csv = page.locator("a[href*='eksport.csv'][download]").get_attribute("href")
    assert attachment_headers(page, csv)["content-disposition"].startswith("attachment")

    page.goto(f"/panel/zgloszenia/{stored.id}")
    check_page(page, "an urgent request (manager)", phone=phone)
    # An empty note: the page again, with the error summary focused.
    response = press_button(page, "form[action$='/notatki'] button[type=submit]")
    assert response.status == 400
    assert is_focused(page, "[data-error-summary]")
    assert "Wpisz treść notatki." in main_text(page)
    check_page(page, "the request page with a form error", phone=phone)

    page.goto("/panel/konta")
    assert worker.email in main_text(page)
    check_page(page, "the accounts page", phone=phone)
    press_button(page, f"a[href$='/panel/konta/{worker.id}']")
    check_page(page, "an account page", phone=phone)

    page.goto("/panel/konta")
    press_button(page, "main a.button[href$='/nowe']")
    check_page(page, "the new account page", phone=phone)
    response = press_button(page, "form.narrow button[type=submit]")
    assert response.status == 400
    check_page(page, "the new account page with errors", phone=phone)

    page.goto("/panel/dziennik")
    assert "Logowanie" in main_text(page) and "Otwarcie zgłoszenia" in main_text(page)
    check_page(page, "the audit log", phone=phone)

    page.goto("/panel/poczta")
    assert "Poczta wychodząca" in main_text(page)
    check_page(page, "the outbox", phone=phone)
