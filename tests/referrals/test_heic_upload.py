"""An iPhone photo of the certificate, sent through the "Za życiem" form: held, listed
under its new name and stored as an upright JPEG without its metadata."""

from __future__ import annotations

import re
from io import BytesIO

import pytest
from flask import Flask
from flask.testing import FlaskClient
from PIL import Image
from sqlalchemy import select

from portal.core.extensions import db
from portal.referrals.display import attachment_content, attachment_name
from portal.referrals.models import Request
from tests.heic import RED, heic_bytes, near
from tests.referrals.helpers import ZZ, form_key, upload, zz_answers


def test_a_heic_photo_is_stored_as_an_upright_jpeg(app: Flask, client: FlaskClient) -> None:
    key = form_key(client, ZZ)
    data = {**zz_answers(key), "certificates": [upload(heic_bytes(orientation=6), "IMG_0042.HEIC")]}
    check = client.post(ZZ, data=data, content_type="multipart/form-data").text
    assert "error-summary" not in check
    assert "IMG_0042.jpg" in check and "IMG_0042.HEIC" not in check
    held = re.findall(r'name="held" value="([^"]+)"', check)
    sent = client.post(ZZ, data={**zz_answers(key), "held": held, "step": "submit"})
    assert sent.status_code == 302
    with app.app_context():
        (att,) = db.session.scalars(select(Request)).one().attachments
        assert att.media_type == "image/jpeg" and attachment_name(att) == "IMG_0042.jpg"
        img = Image.open(BytesIO(attachment_content(att)))
    assert img.format == "JPEG" and img.size == (32, 64)  # upright: taken with the phone held tall
    assert near(img.getpixel((16, 8)), RED)
    assert not img.getexif()


@pytest.mark.parametrize(
    ("lang", "message"),
    [
        ("", "Nie udało się otworzyć tego zdjęcia"),
        ("/en", "We could not open this photo"),
        ("/uk", "Не вдалося відкрити це фото"),
    ],
)
def test_a_broken_heic_gets_a_message_in_the_visitors_language(
    client: FlaskClient, lang: str, message: str
) -> None:
    path = lang + ZZ
    broken = heic_bytes(size=(256, 256), noise=True)[:300]
    data = {**zz_answers(form_key(client, path)), "certificates": [upload(broken, "IMG_1.HEIC")]}
    page = client.post(path, data=data, content_type="multipart/form-data").text
    assert 'href="#f-certificates"' in page and message in page
