"""Several files for one question: added one by one or several at once, each with an
optional label, listed and removable; labels travel to the request, the panel and the
applicant's copy. Read from the pages, as the applicant and the staff see them."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from pypdf import PdfReader
from sqlalchemy import select

from portal.core.extensions import db
from portal.referrals.display import attachment_name
from portal.referrals.held import LABEL_MAX, clean_label, held_files
from portal.referrals.models import Attachment, HeldUpload, Request
from tests.referrals.helpers import ZZ, form_key, pdf_bytes, png_bytes, upload, zz_answers

HELD = re.compile(r'name="held" value="([^"]+)"')


def held_ids(html: str) -> list[str]:
    return HELD.findall(html)


def label_of(html: str, held_id: str) -> str:
    found = re.search(rf'name="label:{re.escape(held_id)}" value="([^"]*)"', html)
    assert found, f"no label field for {held_id}"
    return found.group(1)


def add(
    client: FlaskClient,
    key: str,
    held: list[str],
    files: list[tuple[io.BytesIO, str]],
    label: str = "",
    path: str = ZZ,
    **extra: object,
) -> str:
    """Press "Dodaj plik" with `files` chosen and `label` typed for them."""
    data: dict[str, object] = {
        **zz_answers(key),
        "held": held,
        "certificates": files,
        "new-label:certificates": label,
        "step": "add",
        **extra,
    }
    response = client.post(path, data=data, content_type="multipart/form-data")
    assert response.status_code == 200
    return response.text


def test_files_added_one_by_one_each_with_its_label(app: Flask, client: FlaskClient) -> None:
    key = form_key(client, ZZ)
    html = add(client, key, [], [upload(pdf_bytes(), "skan1.pdf")], "strona 1")
    first = held_ids(html)
    assert len(first) == 1 and label_of(html, first[0]) == "strona 1"
    assert "error-summary" not in html  # adding a file is not a check of the form
    assert "Dodane pliki: 1 z 5" in html
    html = add(client, key, first, [upload(png_bytes(), "zdjęcie.png")], "wypis ze szpitala")
    ids = held_ids(html)
    assert len(ids) == 2 and ids[0] == first[0]  # in the order they were added
    assert label_of(html, ids[0]) == "strona 1"
    assert label_of(html, ids[1]) == "wypis ze szpitala"
    assert "Dodane pliki: 2 z 5" in html
    # The check page names each file by its label.
    check = client.post(ZZ, data={**zz_answers(key), "held": ids})
    assert "strona 1 – skan1.pdf" in check.text
    assert "wypis ze szpitala – zdjęcie.png" in check.text


def test_several_files_at_once_share_the_label_typed(client: FlaskClient) -> None:
    key = form_key(client, ZZ)
    files = [upload(pdf_bytes(), "a.pdf"), upload(pdf_bytes(), "b.pdf")]
    html = add(client, key, [], files, "karta informacyjna")
    ids = held_ids(html)
    assert len(ids) == 2
    assert [label_of(html, i) for i in ids] == ["karta informacyjna"] * 2
    assert html.index("a.pdf") < html.index("b.pdf")


def test_the_remove_button_lets_one_file_go(client: FlaskClient) -> None:
    key = form_key(client, ZZ)
    files = [upload(pdf_bytes(), "a.pdf"), upload(pdf_bytes(), "b.pdf")]
    ids = held_ids(add(client, key, [], files))
    again = client.post(ZZ, data={**zz_answers(key), "held": ids, "step": f"remove:{ids[0]}"})
    assert held_ids(again.text) == [ids[1]]
    assert "a.pdf" not in again.text and "b.pdf" in again.text
    assert "error-summary" not in again.text
    # Nothing is shown as an error on the way back to the question, but the question's
    # last file removed leaves it unanswered on the check.
    empty = client.post(ZZ, data={**zz_answers(key), "held": [ids[1]], "step": f"remove:{ids[1]}"})
    assert held_ids(empty.text) == [] and "error-summary" not in empty.text
    check = client.post(ZZ, data={**zz_answers(key)})
    assert 'href="#f-certificates"' in check.text


def test_labels_edited_on_the_form_reach_the_request(app: Flask, client: FlaskClient) -> None:
    key = form_key(client, ZZ)
    files = [upload(pdf_bytes(), "a.pdf"), upload(png_bytes(), "b.png")]
    ids = held_ids(add(client, key, [], files, "strona"))
    labels = {f"label:{ids[0]}": "strona 1", f"label:{ids[1]}": "  "}  # one renamed, one cleared
    check = client.post(ZZ, data={**zz_answers(key), "held": ids, **labels})
    assert "strona 1 – a.pdf" in check.text and "– b.png" not in check.text
    # The check page posts no label fields: the labels typed before are kept.
    sent = client.post(ZZ, data={**zz_answers(key), "held": ids, "step": "submit"})
    assert sent.status_code == 302
    with app.app_context():
        req = db.session.scalars(select(Request)).one()
        stored = [(attachment_name(a), a.label_text(), a.question) for a in req.attachments]
        assert sorted(stored) == [
            ("a.pdf", "strona 1", "certificates"),
            ("b.png", "", "certificates"),
        ]
        label_blob = db.session.scalars(
            select(Attachment.label).where(Attachment.question == "certificates")
        ).all()
        assert all(b is None or b"strona" not in b for b in label_blob)  # encrypted at rest


def test_a_sixth_file_is_refused_with_its_message(client: FlaskClient) -> None:
    key = form_key(client, ZZ)
    ids = held_ids(add(client, key, [], [upload(pdf_bytes(), f"z{i}.pdf") for i in range(5)]))
    assert len(ids) == 5
    html = add(client, key, ids, [upload(pdf_bytes(), "szósty.pdf")])
    assert held_ids(html) == ids and "szósty.pdf" not in html
    error = re.search(r'<p class="error-message" id="e-certificates">(.*?)</p>', html, re.S)
    assert error, "the message stands by the question"
    assert "Możesz dodać najwyżej 5 plików. Usuń któryś z dodanych" in error.group(1)


def test_a_held_file_of_another_centre_is_not_taken(app: Flask, client: FlaskClient) -> None:
    key = form_key(client, ZZ)
    ids = held_ids(add(client, key, [], [upload(pdf_bytes())]))
    with app.app_context():
        assert [h.id for h in held_files(key, ids, "gostynin")] == ids
        assert held_files(key, ids, "tomice") == []
        row = db.session.get_one(HeldUpload, ids[0])
        assert row.centre_slug == "gostynin" and row.question == "certificates"


def test_the_first_button_of_the_form_checks_it(client: FlaskClient) -> None:
    """Enter in a text field presses the form's first submit button: not a file's "Usuń"."""
    key = form_key(client, ZZ)
    html = add(client, key, [], [upload(pdf_bytes())])
    form = html[html.index("<form") :]
    first = re.search(r"<button[^>]*>", form)
    assert first and 'value="check"' in first.group(0)
    assert 'formaction="/gostynin/za-zyciem/wniosek#f-certificates"' in html


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("  strona 1  ", "strona 1"),
        ("", ""),
        ("   ", ""),
        ("a\u202eb\u0000c", "abc"),  # bidi override and NUL dropped
        ("x" * 500, "x" * LABEL_MAX),
        ("<b>wypis</b>", "<b>wypis</b>"),  # kept as text; the templates escape it
        ("strona 1/2", "strona 1/2"),  # a label is no path
    ],
)
def test_labels_are_cleaned(typed: str, kept: str) -> None:
    assert clean_label(typed) == kept


def test_a_label_is_shown_as_text_never_as_markup(client: FlaskClient) -> None:
    key = form_key(client, ZZ)
    html = add(client, key, [], [upload(pdf_bytes())], '<img src=x onerror="alert(1)">')
    assert "<img src=x" not in html and "&lt;img src=x" in html


def test_a_restored_draft_keeps_files_and_labels(client: FlaskClient) -> None:
    key = form_key(client, ZZ)
    ids = held_ids(add(client, key, [], [upload(pdf_bytes(), "a.pdf")], "strona 1"))
    saved = client.post(ZZ, data={**zz_answers(key), "held": ids, "step": "save"})
    link = re.search(r'href="https?://[^"/]+(/wznow/[^"/]+)"', saved.text)
    assert link, saved.text
    restored = client.post(link.group(1)).text
    again = held_ids(restored)
    assert len(again) == 1 and label_of(restored, again[0]) == "strona 1"
    assert "a.pdf" in restored


@pytest.mark.parametrize(
    ("lang", "add_text", "label_text", "count_text"),
    [
        ("en", "Add file", "File description (optional)", "Files added: 1 of 5"),
        ("uk", "Додати файл", "Опис файлу (необовʼязково)", "Додано файлів: 1 з 5"),
    ],
)
def test_the_file_question_speaks_the_visitors_language(
    client: FlaskClient, lang: str, add_text: str, label_text: str, count_text: str
) -> None:
    path = f"/{lang}{ZZ}"
    blank = client.get(path).text
    assert add_text in blank and "Dodaj plik" not in blank
    html = add(client, form_key(client, path), [], [upload(pdf_bytes())], path=path)
    assert label_text in html and count_text in html
    assert "Usuń" not in html and "Opis pliku" not in html


def test_labels_show_in_the_panel_and_in_the_applicants_copy(tmp_path: Path) -> None:
    from tests.panel.conftest import panel_app
    from tests.panel.factories import log_in, make_user

    app = panel_app(tmp_path)
    public, staff = app.test_client(), app.test_client()
    key = form_key(public, ZZ)
    ids = held_ids(add(public, key, [], [upload(pdf_bytes(), "a.pdf")], "wypis ze szpitala"))
    sent = public.post(ZZ, data={**zz_answers(key), "held": ids, "step": "submit"})
    confirmation = public.get(sent.headers["Location"]).text
    copy_path = re.search(r'href="([^"]+/potwierdzenie\.pdf)"', confirmation)
    assert copy_path
    pdf = public.get(copy_path.group(1)).data
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "wypis ze szpitala – a.pdf" in text
    with app.app_context():
        worker = make_user("pracownik@gostynin.example.org", "gostynin", "worker")
        log_in(staff, worker)
        rid = db.session.scalars(select(Request.id)).one()
        page = staff.get(f"/panel/zgloszenia/{rid}").text
    assert "wypis ze szpitala: <a" in page
