"""Staff download every file of a request as one PDF, in Chromium: the link on the
request page, a real download, the labels inside."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pypdf
import pytest
from PIL import Image

from tests.browser.conftest import PanelServer
from tests.browser.flows import certificate_pdf
from tests.browser.panel_flows import check_page, full_login, new_request, new_staff
from tests.panel.factories import add_file

PanelPage = Callable[..., Any]
LABEL = "Wypis ze szpitala – strona 2"


def photo() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (120, 160), (30, 90, 200)).save(out, "JPEG")
    return out.getvalue()


@pytest.mark.parametrize("phone", [False, True], ids=["desktop", "360px"])
def test_a_worker_downloads_all_files_as_one_pdf(
    panel_server: PanelServer, panel_page: PanelPage, phone: bool
) -> None:
    app = panel_server.app
    worker = new_staff(app, "tomice", "worker")
    stored = new_request(app, "tomice", files=[("zaświadczenie.pdf", certificate_pdf())])
    with app.app_context():
        add_file(stored.id, "wypis.jpg", photo(), "image/jpeg", label=LABEL)
    page = panel_page(phone=phone)
    full_login(page, worker)
    page.goto(f"/panel/zgloszenia/{stored.id}")
    link = page.get_by_role("link", name="Pobierz wszystkie pliki jako jeden PDF")
    assert link.count() == 1
    check_page(page, "the request page with two files", phone=phone)
    with page.expect_download() as info:
        link.click()
    download = info.value
    assert download.suggested_filename == f"{stored.reference}-pliki.pdf"
    body = Path(download.path()).read_bytes()
    assert body.startswith(b"%PDF-")
    text = " ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(body)).pages)
    text = " ".join(text.split())
    assert "zaświadczenie.pdf" in text and f"{LABEL} – wypis.jpg" in text
    assert "plik 2 z 2" in text and stored.reference in text
    assert "Nie udało się" not in text  # both files are in it
