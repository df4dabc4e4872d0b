"""Every PDF kept is rewritten to its pages only: no actions, scripts, files or forms."""

from __future__ import annotations

import re
from collections.abc import Callable
from io import BytesIO

import pikepdf
import pytest
from flask import Flask
from flask.testing import FlaskClient
from pikepdf import Array, Dictionary, Name, String
from sqlalchemy import func, select

from portal.core.extensions import db
from portal.referrals.display import attachment_content
from portal.referrals.models import Attachment, HeldUpload
from portal.uploads import RejectReason, UploadRejected, check_upload
from portal.uploads.pdf import validate_pdf
from tests.referrals.helpers import ZZ, form_key, upload, zz_answers

MB = 1024 * 1024
SHOWN = b"Zaswiadczenie lekarskie nr 123"  # what the page says; it must survive
PAYLOADS = (b"app.alert", b"cmd.exe", b"evil.example", b"MZ-payload", b"<xdp:xdp")


def _certificate() -> pikepdf.Pdf:
    """A one-page certificate with text on it."""
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(595, 842))
    font = Dictionary(Type=Name.Font, Subtype=Name.Type1, BaseFont=Name.Helvetica)
    page = pdf.pages[0]
    page.obj.Resources = Dictionary(Font=Dictionary(F1=font))
    page.obj.Contents = pdf.make_stream(b"BT /F1 12 Tf 72 720 Td (" + SHOWN + b") Tj ET")
    return pdf


def _script(pdf: pikepdf.Pdf) -> pikepdf.Object:
    return pdf.make_indirect(
        Dictionary(Type=Name.Action, S=Name.JavaScript, JS=String("app.alert(1)"))
    )


def _link(pdf: pikepdf.Pdf, action: Dictionary) -> None:
    annot = Dictionary(
        Type=Name.Annot, Subtype=Name.Link, Rect=Array([72, 700, 300, 730]), A=action
    )
    pdf.pages[0].obj.Annots = Array([pdf.make_indirect(annot)])


def open_action(pdf: pikepdf.Pdf) -> None:
    pdf.Root.OpenAction = _script(pdf)


def javascript_name_tree(pdf: pikepdf.Pdf) -> None:
    tree = Dictionary(Names=Array([String("start"), _script(pdf)]))
    pdf.Root.Names = Dictionary(JavaScript=pdf.make_indirect(tree))


def embedded_files(pdf: pikepdf.Pdf) -> None:
    data = pdf.make_stream(b"MZ-payload: a program")
    data.Type = Name.EmbeddedFile
    spec = Dictionary(Type=Name.Filespec, F=String("cmd.exe"), EF=Dictionary(F=data))
    pdf.Root.Names = Dictionary(EmbeddedFiles=Dictionary(Names=Array([String("cmd.exe"), spec])))
    # ...and the same file pinned to the page as an attachment annotation.
    pin = Dictionary(
        Type=Name.Annot, Subtype=Name.FileAttachment, Rect=Array([0, 0, 20, 20]), FS=spec
    )
    pdf.pages[0].obj.Annots = Array([pdf.make_indirect(pin)])


def acroform(pdf: pikepdf.Pdf) -> None:
    widget = pdf.make_indirect(
        Dictionary(
            Type=Name.Annot,
            Subtype=Name.Widget,
            FT=Name.Tx,
            T=String("name"),
            Rect=Array([72, 600, 300, 620]),
            AA=Dictionary(K=_script(pdf)),  # runs on every keystroke
        )
    )
    pdf.pages[0].obj.Annots = Array([widget])
    pdf.Root.AcroForm = Dictionary(Fields=Array([widget]))


def xfa(pdf: pikepdf.Pdf) -> None:
    form = pdf.make_stream(
        b'<xdp:xdp xmlns:xdp="http://ns.adobe.com/xdp/"><script>app.alert(1)</script></xdp:xdp>'
    )
    pdf.Root.AcroForm = Dictionary(Fields=Array([]), XFA=form)


def launch_action(pdf: pikepdf.Pdf) -> None:
    _link(pdf, Dictionary(S=Name.Launch, F=String("cmd.exe")))


def uri_action(pdf: pikepdf.Pdf) -> None:
    _link(pdf, Dictionary(S=Name.URI, URI=String("https://evil.example/login")))


def page_action(pdf: pikepdf.Pdf) -> None:
    pdf.pages[0].obj.AA = Dictionary(O=_script(pdf))  # runs when the page opens


ACTIVE: dict[str, Callable[[pikepdf.Pdf], None]] = {
    "OpenAction": open_action,
    "JavaScript name tree": javascript_name_tree,
    "embedded files": embedded_files,
    "AcroForm": acroform,
    "XFA": xfa,
    "Launch annotation": launch_action,
    "URI annotation": uri_action,
    "page open action": page_action,
}


def build(*kinds: str) -> bytes:
    pdf = _certificate()
    for kind in kinds:
        ACTIVE[kind](pdf)
    out = BytesIO()
    pdf.save(out, compress_streams=False)  # payloads stay visible in the bytes
    return out.getvalue()


def _assert_inert(data: bytes) -> None:
    assert validate_pdf(data) == 1
    for payload in PAYLOADS:
        assert payload not in data
    with pikepdf.open(BytesIO(data)) as pdf:
        assert set(pdf.Root.keys()) <= {"/Type", "/Pages"}
        page = pdf.pages[0]
        assert "/AA" not in page.obj
        for annot in page.obj.get("/Annots", Array()):
            assert "/A" not in annot and "/AA" not in annot
            assert annot.Subtype not in (Name.Widget, Name.FileAttachment)
        assert SHOWN in page.obj.Contents.read_bytes()
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
                assert obj.get("/Type") not in (Name.EmbeddedFile, Name.Filespec, Name.Action)


@pytest.mark.parametrize("kind", list(ACTIVE))
def test_each_kind_of_active_content_is_taken_out(kind: str) -> None:
    sent = build(kind)
    assert any(payload in sent for payload in PAYLOADS) or b"/AA" in sent
    kept = check_upload(sent, "zaświadczenie.pdf", max_bytes=MB, clamd_socket=None).content
    _assert_inert(kept)


def test_all_of_it_at_once() -> None:
    sent = build(
        "OpenAction", "JavaScript name tree", "AcroForm", "URI annotation", "page open action"
    )
    _assert_inert(check_upload(sent, "a.pdf", max_bytes=MB, clamd_socket=None).content)


def test_a_shown_annotation_stays_without_its_action() -> None:
    kept = check_upload(build("URI annotation"), "a.pdf", max_bytes=MB, clamd_socket=None).content
    with pikepdf.open(BytesIO(kept)) as pdf:
        (annot,) = pdf.pages[0].obj.Annots
        assert annot.Subtype == Name.Link and "/A" not in annot


def hidden_in_resources() -> bytes:
    """A script tucked where a page's look is described, which rewriting cannot tell apart."""
    pdf = _certificate()
    page = pdf.pages[0].obj
    page.Resources.Properties = Dictionary(
        oc1=Dictionary(Type=Name.OCG, Name=String("x"), Do=_script(pdf))
    )
    out = BytesIO()
    pdf.save(out)
    return out.getvalue()


def test_a_pdf_that_cannot_be_made_inert_is_refused() -> None:
    with pytest.raises(UploadRejected) as info:
        check_upload(hidden_in_resources(), "a.pdf", max_bytes=MB, clamd_socket=None)
    assert info.value.reason is RejectReason.PDF_NOT_REWRITABLE


def _send_file(client: FlaskClient, prefix: str, data: bytes) -> tuple[str, str]:
    key = form_key(client, prefix + ZZ)
    page = client.post(prefix + ZZ, data={**zz_answers(key), "certificates": [upload(data)]})
    return key, page.text


@pytest.mark.parametrize(
    ("prefix", "words"),
    [
        ("", "Nie udało się bezpiecznie zapisać tego pliku PDF"),
        ("/en", "could not be stored safely"),
        ("/uk", "безпечно"),
    ],
)
def test_the_applicant_is_told_in_their_language(
    app: Flask, client: FlaskClient, prefix: str, words: str
) -> None:
    _key, page = _send_file(client, prefix, hidden_in_resources())
    assert words in page
    with app.app_context():
        assert db.session.scalar(select(func.count(HeldUpload.id))) == 0


def test_the_stored_certificate_is_the_rewritten_one(app: Flask, client: FlaskClient) -> None:
    sent = build("OpenAction", "embedded files", "Launch annotation")
    key, check = _send_file(client, "", sent)
    held = re.findall(r'name="held" value="([^"]+)"', check)
    assert len(held) == 1, check
    done = client.post(ZZ, data={**zz_answers(key), "held": held, "step": "submit"})
    assert done.status_code == 302
    with app.app_context():
        (att,) = db.session.scalars(select(Attachment))
        stored = attachment_content(att)
    assert stored != sent and att.size == len(stored)
    _assert_inert(stored)
