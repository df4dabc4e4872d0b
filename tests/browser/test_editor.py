"""The page editor in a real browser: a manager changes the centre's phone number and its
home page text, previews, publishes, sees the change on the public page in all three
languages, then restores the previous revision; a worker gets a 403; axe-core finds
nothing on any editor page, at desktop width and at 360 px (where nothing may scroll
sideways).

The centre is Rędziny, which no other panel browser test uses: the panel's live
portal keeps one database for the whole session, so each run types a number and a
text of its own.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.browser.conftest import PanelServer
from tests.browser.panel_flows import check_page, flash_text, full_login, main_text, new_staff

PanelPage = Callable[..., Any]
CENTRE = "redziny"
PREFIX = {"pl": "", "en": "/en", "uk": "/uk"}
TEXT = {
    "pl": "Dyżur asystenta w każdy wtorek, pokój {room}.",
    "en": "An assistant is on duty every Tuesday, room {room}.",
    "uk": "Асистент чергує щовівторка, кімната {room}.",
}


def submit(page: Any, name: str) -> Any:
    """Press a button by its visible name and wait for the page it loads."""
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name=name, exact=True).click()
    return navigation.value


def publish_here(page: Any) -> None:
    """On a revision's page: publish it, and see the confirmation."""
    submit(page, "Opublikuj")
    assert "Opublikowano." in flash_text(page), main_text(page)[:500]


def edit_home(page: Any, text: str, lang: str, phone: str, *, preview: bool) -> None:
    """Put `text` at the top of the home page in `lang`, then save (and preview first)."""
    page.goto(f"/panel/strony/{CENTRE}/strona/index/{lang}")
    body = page.locator("#page-body")
    body.fill(f"{text} {{{{ centre.phone }}}}\n\n{body.input_value()}")
    if preview:
        submit(page, "Pokaż podgląd")
        shown = page.locator(".preview-page").inner_text()
        assert text in shown and phone in shown, shown[:300]
        assert "Do poprawy przed publikacją" not in main_text(page)
    submit(page, "Zapisz wersję roboczą")
    assert "/wersje/" in page.url, page.url


def public_text(new_page: PanelPage, lang: str) -> str:
    """The centre's public home page in `lang`, in a fresh browser (nothing cached)."""
    visitor = new_page()
    response = visitor.goto(f"{PREFIX[lang]}/{CENTRE}/")
    assert response is not None and response.status == 200
    text: str = visitor.locator("body").inner_text()
    return text


@pytest.mark.parametrize("phone", [False, True], ids=["desktop", "360px"])
def test_a_manager_edits_previews_publishes_and_restores(
    panel_server: PanelServer, panel_page: PanelPage, phone: bool
) -> None:
    manager = new_staff(panel_server.app, CENTRE, "manager")
    room = secrets.randbelow(900) + 100
    new_phone = f"34 300 {room} {room % 90 + 10}"
    new_text = {lang: text.format(room=room) for lang, text in TEXT.items()}
    page = panel_page(phone=phone)
    full_login(page, manager)

    page.goto("/panel/strony")
    assert urlsplit(page.url).path == f"/panel/strony/{CENTRE}/", page.url
    check_page(page, "the centre's pages", phone=phone)

    # The phone number, among the centre's details.
    page.get_by_role("link", name="Zmień dane ośrodka").click()
    check_page(page, "the centre's details", phone=phone)
    old_phone = page.locator("#centre-phones-0-number").input_value()
    page.locator("#centre-phones-0-number").fill(new_phone)
    submit(page, "Zapisz wersję roboczą")
    check_page(page, "a revision of the details", phone=phone)
    publish_here(page)

    # The home page text: previewed in Polish, then in English and Ukrainian too.
    page.goto(f"/panel/strony/{CENTRE}/strona/index/pl")
    check_page(page, "the page editor", phone=phone)
    edit_home(page, new_text["pl"], "pl", new_phone, preview=True)
    check_page(page, "a revision with its diff and preview", phone=phone)
    publish_here(page)
    for lang in ("en", "uk"):
        edit_home(page, new_text[lang], lang, new_phone, preview=False)
        publish_here(page)

    for lang in ("pl", "en", "uk"):
        text = public_text(panel_page, lang)
        assert new_text[lang] in text and new_phone in text, (lang, text[:400])
        assert old_phone not in text, lang

    # Restoring the previous revision of the Polish home page brings the old text back.
    page.goto(f"/panel/strony/{CENTRE}/strona/index/pl")
    check_page(page, "the page editor with its history", phone=phone)
    history = page.locator("#history-caption").locator("xpath=..")
    previous = history.locator("tbody tr").nth(1).locator("a").first
    previous.click()
    check_page(page, "an earlier revision", phone=phone)
    submit(page, "Przywróć tę wersję")
    assert "Przywrócono tekst" in flash_text(page)
    publish_here(page)
    polish = public_text(panel_page, "pl")
    assert new_text["pl"] not in polish and new_phone in polish
    assert new_text["en"] in public_text(panel_page, "en")  # the other languages stay


def test_the_editor_pages_have_no_axe_violations_with_errors_and_the_admin_list(
    panel_server: PanelServer, panel_page: PanelPage
) -> None:
    page = panel_page()
    full_login(page, new_staff(panel_server.app, CENTRE, "admin"))
    page.goto("/panel/strony?q=R")
    check_page(page, "the admin's list of centres", phone=False)
    page.goto(f"/panel/strony/{CENTRE}/strona/index/en")
    page.locator("#page-title").fill("")
    page.locator("#page-body").fill("# Heading\n\n[nowhere](nie-ma)")
    submit(page, "Pokaż podgląd")
    assert "Wpisz tytuł strony." in main_text(page)
    check_page(page, "the page editor with errors", phone=False)
    page.locator("#page-title").fill("Home")
    submit(page, "Pokaż podgląd")
    assert "Link „nie-ma” prowadzi do strony, której nie ma." in main_text(page)
    check_page(page, "a preview with findings", phone=False)
    page.goto(f"/panel/strony/{CENTRE}/dane")
    page.locator("#centre-postal_codes").fill("34-100")  # Tomice's code
    submit(page, "Zapisz wersję roboczą")
    assert "Kod 34-100 obsługuje już Gminny Ośrodek Pomocy Społecznej w Tomicach." in main_text(
        page
    )
    check_page(page, "the centre's details with errors", phone=False)


def test_a_worker_gets_a_403(panel_server: PanelServer, panel_page: PanelPage) -> None:
    page = panel_page()
    full_login(page, new_staff(panel_server.app, CENTRE, "worker"))
    assert "Strony ośrodka" not in page.locator("nav.panel-nav").inner_text()
    response = page.goto(f"/panel/strony/{CENTRE}/strona/index/pl")
    assert response is not None and response.status == 403
    check_page(page, "the 403 page", phone=False)
