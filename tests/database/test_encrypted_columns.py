"""The registry of encrypted columns: declared once on the model, rotated by walking it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import LargeBinary, MetaData, String, select
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from portal.core.crypto import DecryptionError, Keyring
from portal.core.encryption import Encrypted, EncryptedFields, encrypted_models, forget_model
from portal.core.extensions import Base, db
from portal.referrals.models import Request
from tests.conftest import TEST_DATA_KEY, make_app
from tests.panel.factories import make_request


def _blob_columns() -> set[tuple[str, str]]:
    return {
        (mapper.class_.__name__, column.key)
        for mapper in Base.registry.mappers
        for column in mapper.columns
        if isinstance(column.type, LargeBinary)
    }


def _declared() -> set[tuple[str, str]]:
    return {
        (model.__name__, blob) for model in encrypted_models() for blob in model.__encrypted__.blobs
    }


def test_every_binary_column_is_a_declared_encrypted_column(app: Flask) -> None:
    # A blob column nobody declared would stay on an old key after rotate-key.
    assert _blob_columns() == _declared()
    assert {m.__name__ for m in encrypted_models()} >= {
        "Request",
        "Attachment",
        "HeldUpload",
        "OutboxMessage",
        "User",
        "TotpEnrolment",
        "Note",
    }


def test_a_blob_moved_to_another_row_does_not_decrypt(app: Flask) -> None:
    with app.app_context():
        first, second = (db.session.get(Request, make_request()) for _ in range(2))
        assert first is not None and second is not None
        second.answers = first.answers
        with pytest.raises(DecryptionError):
            second.unseal("answers")
        assert first.unseal_json("answers")["fields"]["full_name"] == "Zofia Testowa"


def test_seal_takes_every_blob_of_the_row(app: Flask) -> None:
    from portal.referrals.models import Attachment

    with app.app_context():
        req = db.session.get(Request, make_request())
        attachment = Attachment(request=req, media_type="application/pdf", size=1)
        with pytest.raises(ValueError, match="content"):
            attachment.seal(content=b"x")  # the name too, or the row would mix two keys
        with pytest.raises(ValueError, match="not an encrypted column"):
            attachment.unseal("media_type")


def _declare_diary() -> type[Encrypted]:
    """A model the portal does not have, declared (on its own metadata) and nowhere else."""

    class OtherBase(DeclarativeBase):
        metadata = MetaData()

    class Diary(Encrypted, OtherBase):
        __tablename__ = "test_diary_entries"
        __encrypted__ = EncryptedFields(blobs=("entry",), key="entry_key")

        id: Mapped[int] = mapped_column(primary_key=True)
        owner: Mapped[str] = mapped_column(String(20))
        entry_key: Mapped[str | None] = mapped_column(String(16), default=None)
        entry: Mapped[bytes | None] = mapped_column(LargeBinary, default=None)

        def associated_data(self) -> bytes:
            return f"diary:{self.owner}".encode()

    return Diary


@pytest.fixture
def diary(tmp_path: Path) -> Iterator[tuple[Flask, Any]]:
    app = make_app(tmp_path)
    model: Any = _declare_diary()
    with app.app_context():
        model.metadata.create_all(db.engine)
    yield app, model
    with app.app_context():
        model.metadata.drop_all(db.engine)
    forget_model(model)
    assert model not in encrypted_models()


def test_rotate_key_covers_a_column_only_declared_on_its_model(diary: tuple[Flask, Any]) -> None:
    diary_app, Diary = diary
    with diary_app.app_context():
        entry = Diary(owner="ala")
        entry.seal(entry=b"dzisiaj padalo")
        db.session.add(entry)
        db.session.commit()
        assert entry.entry_key == "t1"
    new = Keyring.generate_value("t2")
    diary_app.config["PORTAL_DATA_KEY"] = f"{new},{TEST_DATA_KEY}"
    result = diary_app.test_cli_runner().invoke(args=["rotate-key"])
    assert result.exit_code == 0, result.output
    assert "1 rows re-encrypted; 0 left on old keys" in result.output
    diary_app.config["PORTAL_DATA_KEY"] = new  # the old key is gone
    with diary_app.app_context():
        stored = db.session.scalars(select(Diary)).one()
        assert stored.entry_key == "t2"
        assert stored.unseal_text("entry") == "dzisiaj padalo"


def test_an_optional_blob_may_hold_nothing_and_rotates_with_its_row(app: Flask) -> None:
    from portal.referrals.models import Attachment

    with app.app_context():
        req = db.session.get(Request, make_request())
        bare = Attachment(request=req, media_type="image/jpeg", size=1)
        bare.seal(content=b"x", name=b"skan.jpg")  # no label
        labelled = Attachment(request=req, media_type="image/jpeg", size=1)
        labelled.seal(content=b"y", name=b"skan2.jpg", label="strona 2 – wypis".encode())
        db.session.add_all([bare, labelled])
        db.session.commit()
        assert bare.label is None and bare.label_text() == ""
        assert labelled.label_text() == "strona 2 – wypis"
        # Sealed again without it, a label is cleared rather than left under an old key.
        labelled.seal(content=b"y", name=b"skan2.jpg")
        assert labelled.label is None
        labelled.seal(content=b"y", name=b"skan2.jpg", label=b"strona 2")
        db.session.commit()
    new = Keyring.generate_value("t2")
    app.config["PORTAL_DATA_KEY"] = f"{new},{TEST_DATA_KEY}"
    result = app.test_cli_runner().invoke(args=["rotate-key"])
    assert result.exit_code == 0, result.output
    app.config["PORTAL_DATA_KEY"] = new  # the old key is gone
    with app.app_context():
        rows = db.session.scalars(select(Attachment).order_by(Attachment.id)).all()
        assert [row.key_id for row in rows] == ["t2", "t2"]
        assert [row.label_text() for row in rows] == ["", "strona 2"]
        assert rows[0].label is None
