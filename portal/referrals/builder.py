"""WTForms classes built from form definitions at start-up."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, ClassVar

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
from wtforms.validators import StopValidation

from portal.core.i18n import current_lang
from portal.referrals.cleaning import FieldError, clean_many, clean_scalar, required_message
from portal.referrals.definitions import (
    FORM_NAMES,
    DefinitionError,
    FieldSpec,
    FormSpec,
    read_definition,
    text_in,
)

log = logging.getLogger(__name__)


@dataclass
class FileState:
    """Files of one file question: those held from earlier posts and new errors."""

    held: list[tuple[str, str]] = field(default_factory=list)  # (held id, display name)
    errors: list[str] = field(default_factory=list)


class AnswerRule:
    """The validator of one question: visibility, required, then its type's rules."""

    def __init__(self, spec: FieldSpec) -> None:
        self.spec = spec

    def __call__(self, form: RequestForm, fld: Field) -> None:
        fld.clean = None
        if not form.is_visible(self.spec):
            raise StopValidation()  # hidden questions are neither required nor kept
        value = self._value(form, fld)
        if value in ("", None, [], False):
            if self.spec.required:
                raise StopValidation(required_message(self.spec))
            raise StopValidation()
        fld.clean = value

    def _value(self, form: RequestForm, fld: Field) -> Any:
        spec = self.spec
        try:
            if spec.type == "file":
                return self._files(form)
            if spec.type == "multichoice":
                return clean_many(spec, [str(v) for v in (fld.data or [])])
            if spec.type == "checkbox":
                return bool(fld.data)
            return clean_scalar(spec, fld.data, form.today)
        except FieldError as exc:
            raise StopValidation(str(exc)) from None

    def _files(self, form: RequestForm) -> list[str]:
        state = form.file_states.get(self.spec.name, FileState())
        if state.errors:
            raise FieldError(state.errors[0])
        if len(state.held) > self.spec.max_files:
            raise FieldError(
                ngettext(
                    "Dodaj najwyżej %(num)d plik. Usuń nadmiarowe.",
                    "Dodaj najwyżej %(num)d pliki. Usuń nadmiarowe.",
                    self.spec.max_files,
                )
            )
        return [held_id for held_id, _name in state.held]


class RequestForm(FlaskForm):
    """Base of every generated form: the idempotency key, the honeypot, the checks."""

    spec: ClassVar[FormSpec]
    form_key = HiddenField()
    website = StringField()  # honeypot: people never see it, bots fill it

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = date.today()
        self.file_states: dict[str, FileState] = {}

    def is_visible(self, spec: FieldSpec) -> bool:
        """Whether a question applies, given the answer it depends on."""
        cond = spec.show_when
        return cond is None or self[cond.field].data in cond.values

    def validate(self, extra_validators: Any = None) -> bool:
        ok = super().validate(extra_validators)
        for group in self.spec.one_of:
            if not any(self[name].clean for name in group):
                first = self[group[0]]
                if not first.errors:
                    first.errors = [text_in(self.spec.one_of_message, current_lang())]
                ok = False
        return ok

    def answers(self) -> dict[str, Any]:
        """Clean answers of the visible questions (after `validate`)."""
        return {
            spec.name: self[spec.name].clean
            for spec in self.spec.fields
            if spec.type != "file" and self[spec.name].clean not in (None, "", [], False)
        }

    def question_fields(self) -> Iterator[tuple[FieldSpec, Field]]:
        for spec in self.spec.fields:
            yield spec, self[spec.name]

    def error_list(self) -> list[tuple[str, str]]:
        """(field name, message) for the error summary, in the form's order."""
        return [
            (spec.name, str(fld.errors[0])) for spec, fld in self.question_fields() if fld.errors
        ]


def _wtforms_field(spec: FieldSpec) -> Field:
    rule = [AnswerRule(spec)]
    # Choices are checked by AnswerRule against the definition and rendered from it.
    if spec.type == "choice":
        return RadioField(validators=rule, validate_choice=False)
    if spec.type == "multichoice":
        return SelectMultipleField(validators=rule, validate_choice=False)
    if spec.type == "checkbox":
        return BooleanField(validators=rule)
    if spec.type == "file":
        return MultipleFileField(validators=rule)
    if spec.type == "textarea":
        return TextAreaField(validators=rule)
    return StringField(validators=rule)


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
