"""The applicant's PDF copy: the reference and the answers (Ukrainian letters too) as
text in the PDF; only the sending session, for an hour; anyone else gets a 404."""

from __future__ import annotations

import hashlib
import io
import re
import time

from flask.testing import FlaskClient
from pypdf import PdfReader
from sqlalchemy import select

from portal.core.extensions import db
from portal.referrals.copy import SESSION_KEY
from portal.referrals.display import attachment_content
from portal.referrals.models import Attachment
from tests.referrals.helpers import (
    PARENT,
    ZZ,
    form_key,
    parent_answers,
    pdf_bytes,
    upload,
    zz_answers,
)

COPY_LINK = re.compile(r'href="(/(?:en/|uk/)?[a-z-]+/wyslano/[^"/]+/potwierdzenie\.pdf)"')


def send(client: FlaskClient, path: str, data: dict[str, object]) -> tuple[str, str]:
    """Send a form; (the confirmation page, the copy's path)."""
    sent = client.post(path, data={**data, "step": "submit"})
    assert sent.status_code == 302
    page = client.get(sent.headers["Location"]).text
    found = COPY_LINK.search(page)
    assert found, page
    return page, found.group(1)


def text_of(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_the_copy_holds_the_reference_and_the_answers_in_ukrainian(client: FlaskClient) -> None:
    data = parent_answers(
        form_key(client, PARENT), description="Потрібна допомога з дітьми, ґанок і їжак"
    )
    page, path = send(client, "/uk" + PARENT, data)
    reference = re.search(r"TOM-20\d\d-[0-9A-Z]{5}", page)
    assert reference
    copy = client.get(path)
    assert copy.status_code == 200
    assert copy.mimetype == "application/pdf"
    assert copy.headers["Content-Disposition"].startswith("attachment;")
    assert copy.headers["Cache-Control"] == "no-store"
    text = text_of(copy.data)
    assert reference.group(0) in text
    assert "Потрібна допомога з дітьми, ґанок і їжак" in text
    assert "Zofia Wiśniewska-Testowa" in text  # Polish letters too
    assert "Ваші відповіді" in text


def test_the_copy_lists_the_files_with_their_sha256(client: FlaskClient) -> None:
    data = {**zz_answers(form_key(client, ZZ)), "certificates": [upload(pdf_bytes())]}
    _page, path = send(client, ZZ, data)
    text = " ".join(text_of(client.get(path).data).split())
    with client.application.app_context():
        stored = attachment_content(db.session.scalars(select(Attachment)).one())
    assert hashlib.sha256(stored).hexdigest() in text.replace(" ", "")  # the file as kept
    assert "zaświadczenie lekarskie.pdf" in text


def test_only_the_sending_session_for_one_hour(client: FlaskClient) -> None:
    _page, path = send(client, PARENT, parent_answers(form_key(client, PARENT)))
    other = client.application.test_client()
    assert other.get(path).status_code == 404  # the same address, another browser
    confirmation = path.rsplit("/", 1)[0]
    assert "potwierdzenie.pdf" not in other.get(confirmation).text
    with client.session_transaction() as session:
        session[SESSION_KEY] = {**session[SESSION_KEY], "until": time.time() - 1}
    assert client.get(path).status_code == 404  # an hour later
