"""A request flagged "a child is in danger now": tappable numbers, no promise of days."""

from __future__ import annotations

import re

from flask.testing import FlaskClient

from portal.core.settings import DEV_BASE_URL
from tests.referrals.helpers import PARENT, ZZ, form_key, parent_answers

TEL_112 = '<a class="tel" href="tel:112">112</a>'
TEL_116 = '<a class="tel" href="tel:116111">116 111</a>'


def urgent_pages(client: FlaskClient, prefix: str = "") -> dict[str, str]:
    data = parent_answers(form_key(client, PARENT), child_in_danger="yes")
    check = client.post(prefix + PARENT, data=data).text
    sent = client.post(prefix + PARENT, data={**data, "step": "submit"})
    confirmation = client.get(sent.headers["Location"]).text
    link = re.search(rf'href="{re.escape(DEV_BASE_URL)}(/[^"]*status/[^"]+)"', confirmation)
    assert link
    return {
        "form": client.get(prefix + PARENT).text,
        "check": check,
        "confirmation": confirmation,
        "status": client.get(link.group(1)).text,
    }


def test_numbers_are_links_a_phone_can_call(client: FlaskClient) -> None:
    for name, html in urgent_pages(client).items():
        assert TEL_112 in html, name
        if name != "form":  # the form names 116 111 in the notice shown with "yes"
            assert TEL_116 in html, name
    notice = re.search(
        r'id="c-notice-child_in_danger".*?</div>', urgent_pages(client)["form"], re.S
    )
    assert notice and TEL_112 in notice.group(0) and TEL_116 in notice.group(0)


def test_no_promise_of_working_days_for_an_urgent_request(client: FlaskClient) -> None:
    pages = urgent_pages(client)
    for name in ("confirmation", "status"):
        html = pages[name]
        assert "dni roboczych" not in html and "dnia roboczego" not in html, name
        assert "oznaczone jako pilne" in html and "w pierwszej kolejności" in html, name
        assert "poniedziałek–piątek 7:30–15:30" in html  # the centre's hours, from centre.yml


def test_urgent_pages_in_english_and_ukrainian(client: FlaskClient) -> None:
    en = urgent_pages(client, "/en")
    assert "working days" not in en["confirmation"] and "marked as urgent" in en["confirmation"]
    uk = urgent_pages(client, "/uk")
    assert "робочих днів" not in uk["confirmation"] and "термінове" in uk["confirmation"]


def test_a_plain_request_is_told_when_to_expect_an_answer(client: FlaskClient) -> None:
    data = parent_answers(form_key(client, PARENT))
    sent = client.post(PARENT, data={**data, "step": "submit"})
    confirmation = client.get(sent.headers["Location"]).text
    assert "w ciągu 5 dni roboczych" in confirmation and "pilne" not in confirmation


def test_the_danger_line_is_only_on_the_form_that_asks_about_danger(client: FlaskClient) -> None:
    assert "Jeśli dziecku grozi niebezpieczeństwo, nie czekaj" in client.get(PARENT).text
    pregnancy_form = client.get(ZZ).text
    assert "nie czekaj" not in pregnancy_form and "tel:112" not in pregnancy_form
