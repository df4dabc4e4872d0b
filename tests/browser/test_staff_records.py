"""The manager's new pages in a real browser, at desktop width and at 360 px, checked with
axe-core: the queue's saved views and due dates, the statistics, the audit log with its
filters, and a person's requests found through the blind index."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.browser.conftest import PanelServer
from tests.browser.panel_flows import (
    check_page,
    choose,
    flash_text,
    full_login,
    main_text,
    new_request,
    new_staff,
    press_button,
    type_into,
)

WIDTHS = pytest.mark.parametrize("phone", [False, True], ids=["desktop", "360px"])
PanelPage = Callable[..., Any]
PESEL = "94031512845"


@WIDTHS
def test_a_managers_records_and_rights_pages(
    panel_server: PanelServer, panel_page: PanelPage, phone: bool
) -> None:
    app = panel_server.app
    manager = new_staff(app, "rozan", "manager")
    person = {"full_name": "Olena Kowal", "pesel": PESEL, "email": "olena@example.org"}
    found = new_request(app, "rozan", answers=person)
    page = panel_page(phone=phone)
    full_login(page, manager)

    # The queue: a saved view of one's own, by keyboard, beside the three given views.
    page.goto("/panel/?kind=za-zyciem")
    type_into(page, "#name", "Za życiem")
    press_button(page, ".save-view button[type=submit]")
    assert flash_text(page) == "Widok zapisany."
    views = page.locator("nav.saved-views").inner_text()
    assert all(name in views for name in ("Moje", "Nowe", "Po terminie", "Za życiem"))
    page.goto("/panel/?status=all")
    assert "Termin" in page.locator("table.queue thead").inner_text()
    check_page(page, "the queue with saved views and due dates", phone=phone)

    page.goto("/panel/statystyki")
    assert "Mediana dni roboczych do pierwszej odpowiedzi" in main_text(page)
    check_page(page, "the statistics", phone=phone)

    page.goto("/panel/dziennik")
    choose(page, "#co", "login")
    press_button(page, "form.filters button[type=submit]")
    assert "co=login" in page.url
    check_page(page, "the audit log filtered", phone=phone)

    page.goto("/panel/osoba")
    check_page(page, "the person search", phone=phone)
    choose(page, "#person-kind", "pesel")
    type_into(page, "#person-value", PESEL)
    press_button(page, "form.narrow button[type=submit]")
    assert found.reference in main_text(page)
    assert PESEL not in page.url
    check_page(page, "a person's requests found", phone=phone)
