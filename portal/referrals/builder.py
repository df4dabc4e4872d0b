"""WTForms classes built from form definitions at start-up."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, ClassVar, NamedTuple

from flask_babel import ngettext
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    Field,
    HiddenField,
    MultipleFileField,
    RadioField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)

from portal.core.i18n import text_in
from portal.referrals.cleaning import (
    FieldError,
    check_pesel_matches,
    clean_many,
    clean_scalar,
    required_message,
)
from portal.referrals.definitions import (
    FORM_NAMES,
    DefinitionError,
    FieldSpec,
    FormSpec,
    read_definition,
)

log = logging.getLogger(__name__)


class HeldFile(NamedTuple):
    """A file held for a question: its held id, display name and the applicant's label."""

    id: str
    name: str
    label: str = ""

    @property
    def title(self) -> str:
        """How pages name it: "label – name", or the name alone."""
        return f"{self.label} – {self.name}" if self.label else self.name


@dataclass
class FileState:
    """Files of one file question: those held from earlier posts and new errors."""

    held: list[HeldFile] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


EMPTY: tuple[Any, ...] = ("", None, [], False)


@dataclass(frozen=True)
class Checked:
    """What checking one post of a form found: the clean answers, the files, the errors."""

    answers: dict[str, Any] = field(default_factory=dict)  # visible, answered, not files
    files: dict[str, FileState] = field(default_factory=dict)  # per file question
    errors: list[tuple[str, str]] = field(default_factory=list)  # (question, message)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def held_ids(self) -> list[str]:
        """Every held file of the form, in question order."""
        return [held.id for state in self.files.values() for held in state.held]


class RequestForm(FlaskForm):
    """Base of every generated form: the idempotency key, the honeypot, the checks."""

    spec: ClassVar[FormSpec]
    form_key = HiddenField()
    website = StringField()  # honeypot: people never see it, bots fill it

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = date.today()

    def is_visible(self, spec: FieldSpec) -> bool:
        """Whether a question applies, given the answer it depends on."""
        cond = spec.show_when
        return cond is None or self[cond.field].data in cond.values

    def check(self, files: dict[str, FileState]) -> Checked:
        """Check every question against its definition; the result holds what it found.

        The messages are also put on the fields (`errors`), where the form's macros
        show them next to what was typed.
        """
        super().validate()  # the CSRF token and the hidden fields; questions have no validators
        answers: dict[str, Any] = {}
        for spec, fld in self.question_fields():
            try:
                value = self._clean(spec, fld, files)
            except FieldError as exc:
                fld.errors = [str(exc)]
                continue
            fld.errors = []
            if value not in EMPTY and spec.type != "file":
                answers[spec.name] = value
        self._check_one_of(answers, files)
        self._check_pesel_dates(answers)
        return Checked(answers, dict(files), self.error_list())

    def _clean(self, spec: FieldSpec, fld: Field, files: dict[str, FileState]) -> Any:
        """One answer, cleaned; FieldError with the message to show."""
        if not self.is_visible(spec):
            return None  # hidden questions are neither required nor kept
        value = _value(spec, fld, files.get(spec.name, FileState()), self.today)
        if value in EMPTY and spec.required:
            raise FieldError(required_message(spec))
        return value

    def _check_one_of(self, answers: dict[str, Any], files: dict[str, FileState]) -> None:
        for group in self.spec.one_of:
            if any(name in answers or files.get(name, FileState()).held for name in group):
                continue
            first = self[group[0]]
            if not first.errors:
                first.errors = [text_in(self.spec.one_of_message)]

    def _check_pesel_dates(self, answers: dict[str, Any]) -> None:
        """A birth date given beside a PESEL must be the date the PESEL encodes."""
        for spec in self.spec.fields:
            pesel = answers.get(spec.matches_pesel or "")
            born = answers.get(spec.name)
            if not (pesel and born):
                continue  # hidden or not answered: nothing to compare
            try:
                check_pesel_matches(pesel, born)
            except FieldError as exc:
                self[spec.name].errors = [str(exc)]

    def question_fields(self) -> Iterator[tuple[FieldSpec, Field]]:
        for spec in self.spec.fields:
            yield spec, self[spec.name]

    def error_list(self) -> list[tuple[str, str]]:
        """(field name, message) of every question with an error, in the form's order."""
        return [
            (spec.name, str(fld.errors[0])) for spec, fld in self.question_fields() if fld.errors
        ]

    def summary(self) -> list[tuple[str, str]]:
        """(id of the control, message) for the error summary, in the form's order.

        A message that two questions share is prefixed with its question, so that no two
        entries of the summary read the same.
        """
        found = self.error_list()
        times = Counter(message for _name, message in found)
        shared = {message for message, count in times.items() if count > 1}
        return [
            (
                f"f-{name}",
                f"{text_in(self.spec.field(name).label)}: {msg}" if msg in shared else msg,
            )
            for name, msg in found
        ]


def _value(spec: FieldSpec, fld: Field, files: FileState, today: date) -> Any:
    """The answer of one visible question, by its type's rules (FieldError if wrong)."""
    if spec.type == "file":
        return _held_files(spec, files)
    if spec.type == "multichoice":
        return clean_many(spec, [str(v) for v in (fld.data or [])])
    if spec.type == "checkbox":
        return bool(fld.data)
    return clean_scalar(spec, fld.data, today)


def _held_files(spec: FieldSpec, files: FileState) -> list[str]:
    if files.errors:
        raise FieldError(files.errors[0])
    if len(files.held) > spec.max_files:
        raise FieldError(
            ngettext(
                "Dodaj najwyżej %(num)d plik. Usuń nadmiarowe.",
                "Dodaj najwyżej %(num)d pliki. Usuń nadmiarowe.",
                spec.max_files,
            )
        )
    return [held.id for held in files.held]


def _wtforms_field(spec: FieldSpec) -> Field:
    # Fields only carry what was typed; `RequestForm.check` judges it against the
    # definition (choices included), so no field has validators of its own.
    if spec.type == "choice":
        return RadioField(validate_choice=False)
    if spec.type == "multichoice":
        return SelectMultipleField(validate_choice=False)
    if spec.type == "checkbox":
        return BooleanField()
    if spec.type == "file":
        return MultipleFileField()
    if spec.type == "textarea":
        return TextAreaField()
    return StringField()


def build_form_class(spec: FormSpec) -> type[RequestForm]:
    """A RequestForm subclass with one field per question."""
    attrs: dict[str, Any] = {"spec": spec}
    attrs.update({f.name: _wtforms_field(f) for f in spec.fields})
    return type(f"Form_{spec.name.replace('-', '_')}", (RequestForm,), attrs)


@dataclass(frozen=True)
class BuiltForm:
    spec: FormSpec
    form_class: type[RequestForm]


class FormRegistry:
    """Every form, standard and per-centre overrides, built once at start-up."""

    def __init__(self, forms_dir: Path) -> None:
        self._forms: dict[tuple[str, str], BuiltForm] = {}
        for path in sorted(forms_dir.glob("*.yml")) + sorted(forms_dir.glob("*/*.yml")):
            owner = path.parent.name if path.parent != forms_dir else ""
            if path.stem not in FORM_NAMES:
                continue
            try:
                spec = read_definition(path)
            except DefinitionError as exc:
                log.error("form left out: %s", exc)
                continue
            self._forms[(owner, path.stem)] = BuiltForm(spec, build_form_class(spec))

    def get(self, centre_slug: str, name: str) -> BuiltForm | None:
        """The centre's own version of a form, else the standard one."""
        return self._forms.get((centre_slug, name)) or self._forms.get(("", name))
