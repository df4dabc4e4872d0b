"""The submission as a pure step: checking a post returns what it found; storing is apart."""

from __future__ import annotations

from typing import Any

from flask import Flask
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from portal.core.extensions import db
from portal.core.links import external_url
from portal.core.tenancy import registry
from portal.notifications.mail import Mail, read
from portal.notifications.models import OutboxMessage
from portal.referrals.builder import BuiltForm, FileState, FormRegistry, HeldFile
from portal.referrals.flow import area_check, is_urgent
from portal.referrals.models import Request
from portal.referrals.notify import notices_for
from portal.referrals.service import Submission, new_form_key, submit
from tests.referrals.helpers import parent_answers, zz_answers


def _built(app: Flask, centre: str, name: str) -> BuiltForm:
    forms: FormRegistry = app.extensions["portal.forms"]
    built = forms.get(centre, name)
    assert built is not None
    return built


def _form(built: BuiltForm, data: dict[str, Any]) -> Any:
    return built.form_class(formdata=MultiDict(data))


def _requests() -> int:
    return int(db.session.scalar(select(func.count()).select_from(Request)) or 0)


def test_check_returns_clean_answers_and_stores_nothing(app: Flask) -> None:
    with app.test_request_context("/tomice/zgloszenie", method="POST"):
        built = _built(app, "tomice", "zgloszenie")
        checked = _form(built, parent_answers(new_form_key())).check({})
        assert checked.ok and checked.errors == []
        assert checked.answers["postal_code"] == "34-100"
        assert checked.answers["difficulties"] == ["care", "money"]
        assert "step" not in checked.answers and "form_key" not in checked.answers
        assert _requests() == 0


def test_check_names_each_wrong_answer_and_keeps_what_was_typed(app: Flask) -> None:
    with app.test_request_context("/tomice/zgloszenie", method="POST"):
        built = _built(app, "tomice", "zgloszenie")
        form = _form(built, parent_answers(new_form_key(), full_name="", postal_code="3x"))
        checked = form.check({})
        assert not checked.ok
        assert [name for name, _message in checked.errors][:2] == ["full_name", "postal_code"]
        assert form["postal_code"].data == "3x"  # shown again as typed
        assert form["postal_code"].errors  # and the message sits at its field
        assert "postal_code" not in checked.answers


def test_a_hidden_question_is_neither_required_nor_kept(app: Flask) -> None:
    with app.test_request_context("/gostynin/za-zyciem/wniosek", method="POST"):
        built = _built(app, "gostynin", "za-zyciem")
        data = zz_answers(new_form_key(), birth_date="2020-01-01")  # hidden: she is pregnant
        checked = _form(built, data).check(
            {"certificates": FileState(held=[HeldFile("h1", "a.pdf")])}
        )
        assert "birth_date" not in checked.answers
        assert checked.held_ids == ["h1"]
        assert "certificates" not in checked.answers  # files travel as held ids


def test_a_file_refused_earlier_is_an_error_of_its_question(app: Flask) -> None:
    with app.test_request_context("/gostynin/za-zyciem/wniosek", method="POST"):
        built = _built(app, "gostynin", "za-zyciem")
        refused = FileState(errors=["skan.exe: to nie jest PDF"])
        checked = _form(built, zz_answers(new_form_key())).check({"certificates": refused})
        assert ("certificates", "skan.exe: to nie jest PDF") in checked.errors


def test_urgency_and_area_come_from_the_answers(app: Flask) -> None:
    with app.test_request_context("/tomice/zgloszenie"):
        spec = _built(app, "tomice", "zgloszenie").spec
        tomice = registry().get("tomice")
        assert tomice is not None
        assert is_urgent(spec, {"child_in_danger": "yes"})
        assert not is_urgent(spec, {"child_in_danger": "no"})
        outside, other = area_check(tomice, {"postal_code": "09-500"})
        assert outside and other is not None and other.slug == "gostynin"
        assert area_check(tomice, {}) == (False, None)


def _submission(app: Flask) -> Submission:
    built = _built(app, "tomice", "zgloszenie")
    checked = _form(built, parent_answers(new_form_key())).check({})
    tomice = registry().get("tomice")
    assert tomice is not None
    return Submission(
        centre=tomice,
        spec=built.spec,
        form_key=new_form_key(),
        answers=checked.answers,
        held_ids=[],
        lang="pl",
        urgent=False,
        outside_area=False,
    )


def test_the_centre_notice_links_the_request_by_the_panel_route(app: Flask) -> None:
    with app.test_request_context("/tomice/zgloszenie", method="POST"):
        stored = submit(_submission(app), notices_for(_submission(app).centre, "a@example.org"))
        assert stored.created and len(stored.outbox) == 2
        # On the site's address (PORTAL_BASE_URL), not the request's Host.
        link = external_url("panel.show", request_id=stored.request.id)
        centre_notice = read(stored.outbox[-1])
        assert link in centre_notice.body
        assert "\x00" not in centre_notice.body


def test_a_notice_that_cannot_be_written_does_not_lose_the_request(app: Flask) -> None:
    def broken(_req: Request) -> list[Mail]:
        raise RuntimeError("template missing")

    with app.test_request_context("/tomice/zgloszenie", method="POST"):
        stored = submit(_submission(app), broken)
        assert stored.created and stored.outbox == []
        assert _requests() == 1
        assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0


def test_the_same_form_twice_is_one_request(app: Flask) -> None:
    with app.test_request_context("/tomice/zgloszenie", method="POST"):
        sub = _submission(app)
        results = [submit(sub) for _ in range(2)]
        assert [r.created for r in results] == [True, False]
        assert results[0].request.id == results[1].request.id
        assert _requests() == 1
