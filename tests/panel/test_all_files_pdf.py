"""All files of a request as one PDF: in the page's order, each under its label, recorded."""

from __future__ import annotations

import hashlib
import io
import json
from dataclasses import dataclass
from typing import Any, cast

import pikepdf
import pypdf
import pytest
from flask import Flask
from flask.testing import FlaskClient
from PIL import Image

from portal.audit.models import AuditEvent
from portal.core.extensions import db
from portal.referrals.models import FormVersion, Request
from tests.panel.conftest import World
from tests.panel.factories import DEFINITION, add_file, log_in, make_request

# The form of these requests asks for two kinds of file, the certificate first.
FILE_QUESTIONS = [
    {
        "name": "certificate",
        "type": "file",
        "label": {"pl": "Zaświadczenie lekarskie", "en": "Medical certificate", "uk": "Довідка"},
    },
    {
        "name": "other_files",
        "type": "file",
        "label": {"pl": "Inne dokumenty", "en": "Other documents", "uk": "Інші документи"},
    },
]
UKRAINIAN = "Довідка від лікаря"
POLISH = "Zaświadczenie – strona źródłowa"


def pdf_of(pages: int) -> bytes:
    """A real PDF of blank pages, as stored files are (rewritten by pikepdf)."""
    pdf = pikepdf.new()
    for _ in range(pages):
        pdf.add_blank_page(page_size=(595, 842))
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def image_of(kind: str, size: tuple[int, int] = (300, 200)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 40, 40)).save(out, kind)
    return out.getvalue()


def with_file_questions(rid: int) -> None:
    """Give the request a form that asks for files (the factories' form asks for none)."""
    text = json.dumps({"fields": DEFINITION["fields"] + FILE_QUESTIONS}, ensure_ascii=False)
    version = FormVersion(
        form="zgloszenie", digest=hashlib.sha256(text.encode()).hexdigest(), definition=text
    )
    req = db.session.get_one(Request, rid)
    req.form_version = version
    db.session.commit()


@dataclass(frozen=True)
class Files:
    """A request of the own centre with four files, added out of the form's order."""

    request_id: int
    reference: str
    ids: list[int]  # in the order the page lists them


@pytest.fixture
def files(world: World) -> Files:
    rid = make_request("tomice")
    with_file_questions(rid)
    other = add_file(
        rid, "skan.png", image_of("PNG"), "image/png", label=POLISH, question="other_files"
    )
    scan = add_file(rid, "opinia.pdf", pdf_of(3), question="certificate")
    photo = add_file(
        rid,
        "zdjęcie.jpg",
        image_of("JPEG", (200, 900)),
        "image/jpeg",
        label=UKRAINIAN,
        question="certificate",
    )
    tail = add_file(rid, "pismo.pdf", pdf_of(1), label="Pismo z sądu", question="other_files")
    reference = db.session.get_one(Request, rid).reference
    return Files(rid, reference, [scan, photo, other, tail])


def url(rid: int) -> str:
    return f"/panel/zgloszenia/{rid}/pliki.pdf"


def events(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(db.select(AuditEvent).where(AuditEvent.action == action)))


def page_texts(body: bytes) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(body)).pages]


def test_one_pdf_of_every_file_in_the_pages_order_with_labels(
    client: FlaskClient, world: World, files: Files
) -> None:
    log_in(client, world.worker)
    response = client.get(url(files.request_id))
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    with pikepdf.open(io.BytesIO(response.data)) as pdf:
        # Per file one generated page (an image sits on its heading's page), then a PDF's
        # own pages: 1+3, 1, 1, 1+1.
        assert len(pdf.pages) == 8
        with pdf.open_outline() as outline:
            entries = [(item.title, item.destination) for item in outline.root]
        # Each destination is [page, /XYZ, …]: an Array whose first item is the page.
        starts = [pdf.pages.index(pikepdf.Page(cast(Any, d)[0])) for _title, d in entries]
    assert [title for title, _d in entries] == [
        "opinia.pdf",
        f"{UKRAINIAN} – zdjęcie.jpg",
        f"{POLISH} – skan.png",
        "Pismo z sądu – pismo.pdf",
    ]
    assert starts == [0, 4, 5, 6]
    texts = page_texts(response.data)
    heading_pages = [texts[i] for i in starts]
    for n, (text, title) in enumerate(zip(heading_pages, [t for t, _d in entries], strict=True)):
        assert title in text.replace("\n", " ")
        assert f"plik {n + 1} z 4" in text
        assert files.reference in text
    assert "Pytanie: Zaświadczenie lekarskie" in heading_pages[0]
    assert "Pytanie: Inne dokumenty" in heading_pages[2]
    # The PDF's own pages follow its heading, blank as they were.
    assert [t.strip() for t in texts[1:4]] == ["", "", ""]


def test_an_image_fills_its_page_within_the_margins(
    client: FlaskClient, world: World, files: Files
) -> None:
    log_in(client, world.worker)
    with pikepdf.open(io.BytesIO(client.get(url(files.request_id)).data)) as pdf:
        tall = pdf.pages[4]  # the 200 × 900 photo
        images = list(tall.get_images().values())
        assert len(images) == 1
        assert (int(images[0].Width), int(images[0].Height)) == (200, 900)
        width, height = float(tall.mediabox[2]), float(tall.mediabox[3])
        assert (round(width), round(height)) == (595, 842)  # A4


def test_served_as_an_attachment_and_recorded_without_names(
    client: FlaskClient, world: World, files: Files
) -> None:
    log_in(client, world.worker)
    response = client.get(url(files.request_id))
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert f"{files.reference}-pliki.pdf" in disposition
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Security-Policy"].startswith("sandbox")
    assert response.headers["Cache-Control"] == "no-store"
    recorded = events("download_all")
    assert [(e.request_id, e.actor_id, e.detail) for e in recorded] == [
        (files.request_id, world.worker.id, "files=4")
    ]
    assert not events("download"), "one step, not one per file"


def test_the_history_names_the_step_and_the_count(
    client: FlaskClient, world: World, files: Files
) -> None:
    log_in(client, world.worker)
    client.get(url(files.request_id))
    page = client.get(f"/panel/zgloszenia/{files.request_id}").text
    assert "Pobranie wszystkich plików (PDF): 4 pliki" in page


def test_a_pdf_that_cannot_be_read_gets_a_page_saying_so(
    app: Flask, client: FlaskClient, world: World, files: Files
) -> None:
    add_file(files.request_id, "zepsuty.pdf", b"%PDF-1.7 to nie jest PDF", label="Uszkodzony")
    log_in(client, world.worker)
    response = client.get(url(files.request_id))
    assert response.status_code == 200
    texts = page_texts(response.data)
    assert len(texts) == 9, "the other files are all there, and one page for the bad one"
    last = texts[-1].replace("\n", " ")
    assert "Nie udało się dołączyć pliku „Uszkodzony – zepsuty.pdf”" in last
    assert "plik 5 z 5" in last
    assert [e.detail for e in events("download_all")] == ["files=5"]


def test_an_image_that_cannot_be_read_gets_a_page_saying_so(
    client: FlaskClient, world: World
) -> None:
    rid = make_request("tomice")
    add_file(rid, "a.jpg", b"not a jpeg at all", "image/jpeg")
    add_file(rid, "b.pdf", pdf_of(2))
    log_in(client, world.worker)
    texts = page_texts(client.get(url(rid)).data)
    assert len(texts) == 4
    assert "Nie udało się dołączyć pliku „a.jpg”" in texts[0].replace("\n", " ")


def test_the_page_lists_the_files_in_the_same_order_and_links_the_whole(
    client: FlaskClient, world: World, files: Files
) -> None:
    log_in(client, world.worker)
    page = client.get(f"/panel/zgloszenia/{files.request_id}").text
    links = [page.index(f'/pliki/{i}"') for i in files.ids]
    assert links == sorted(links)
    assert f'href="{url(files.request_id)}" download>Pobierz wszystkie pliki jako jeden PDF' in page
    assert "(4 pliki)" in page


def test_no_link_for_a_single_file_and_no_pdf_without_files(
    client: FlaskClient, world: World
) -> None:
    log_in(client, world.worker)
    single = client.get(f"/panel/zgloszenia/{world.request_id}").text
    assert "pliki.pdf" not in single and "jeden PDF" not in single
    # One file still makes the whole (the link is not shown: the file's own link is enough).
    assert client.get(url(world.request_id)).status_code == 200
    empty = make_request("tomice")
    assert client.get(url(empty)).status_code == 404
    assert [e.request_id for e in events("download_all")] == [world.request_id]


@pytest.mark.parametrize("who", ["other_worker", "other_manager", "admin"])
def test_staff_of_another_centre_get_nothing(
    client: FlaskClient, world: World, files: Files, who: str
) -> None:
    log_in(client, getattr(world, who))
    response = client.get(url(files.request_id))
    assert response.status_code == 404
    assert not events("download_all")


def test_the_headings_are_in_the_panels_language(
    client: FlaskClient, world: World, files: Files
) -> None:
    log_in(client, world.worker)
    client.get("/panel/?lang=uk")
    texts = page_texts(client.get(url(files.request_id)).data)
    assert "Довідка" in texts[0]
    assert f"{UKRAINIAN} – zdjęcie.jpg" in texts[4].replace("\n", " ")
