"""Form definitions: `forms/<form>.yml` (and `forms/<centre>/<form>.yml`) read into specs.

The YAML is data only; `portal.referrals.builder` turns a spec into a WTForms class.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import asdict, dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

from portal.core import yamlfiles
from portal.core.i18n import text_in
from portal.core.problems import Problem
from portal.core.settings import LANGUAGES
from portal.referrals.precheck import PrecheckQuestion, read_precheck

FORM_NAMES = ("zgloszenie", "za-zyciem")
FIELD_TYPES = frozenset(
    """text textarea email phone pesel postal_code date number
    choice multichoice checkbox file""".split()
)
DATE_RULES = ("due_date", "birth_date")
NAME_RE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
# Names the form machinery itself uses (FlaskForm attributes and our hidden fields).
RESERVED_NAMES = frozenset(
    """csrf_token form_key website step held remove
    data errors meta validate process populate_obj""".split()
)
FIELD_KEYS = frozenset(
    """name type required label help max_length choices show_when urgent_when min max
    max_files date_rule matches_pesel autocomplete notice required_message""".split()
)
Text = dict[str, str]


class DefinitionError(ValueError):
    """A form definition that cannot be used."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems


@dataclass(frozen=True)
class Choice:
    value: str
    label: Text


@dataclass(frozen=True)
class Condition:
    """Show a field only when another (choice) field has one of these values."""

    field: str
    values: tuple[str, ...]


@dataclass(frozen=True)
class FieldSpec:
    """One question."""

    name: str
    type: str
    label: Text
    required: bool = False
    help: Text = field(default_factory=dict)
    max_length: int = 200
    choices: tuple[Choice, ...] = ()
    show_when: Condition | None = None
    urgent_when: str | None = None
    min: int | None = None
    max: int | None = None
    max_files: int = 1
    date_rule: str | None = None
    # A birth date that must be the one encoded in this (pesel) field, when both are given.
    matches_pesel: str | None = None
    autocomplete: str | None = None
    notice: Text = field(default_factory=dict)  # shown with the answer `urgent_when`
    required_message: Text = field(default_factory=dict)  # said when left unanswered

    def choice_label(self, value: str, lang: str) -> str:
        for choice in self.choices:
            if choice.value == value:
                return text_in(choice.label, lang)
        return value


@dataclass(frozen=True)
class SectionSpec:
    id: str
    title: Text
    fields: tuple[FieldSpec, ...]


@dataclass(frozen=True)
class FormSpec:
    """A whole form, as asked."""

    name: str
    title: Text
    intro: Text
    sections: tuple[SectionSpec, ...]
    summary: Text = field(default_factory=dict)  # the pages' meta description
    one_of: tuple[tuple[str, ...], ...] = ()  # groups of fields of which one must be answered
    one_of_message: Text = field(default_factory=dict)
    # The "is this for me?" questions asked before the form (not part of the request).
    precheck: tuple[PrecheckQuestion, ...] = ()

    @property
    def fields(self) -> tuple[FieldSpec, ...]:
        return tuple(f for s in self.sections for f in s.fields)

    def field(self, name: str) -> FieldSpec:
        return next(f for f in self.fields if f.name == name)

    @cached_property
    def as_json(self) -> str:
        """The definition as stored with each request (sorted, stable)."""
        data = asdict(self)
        del data["precheck"]  # asked before the form, never stored with a request
        data["fields"] = [asdict(f) for f in self.fields]
        return json.dumps(data, ensure_ascii=False, sort_keys=True)

    @cached_property
    def digest(self) -> str:
        return hashlib.sha256(self.as_json.encode()).hexdigest()


class _Reader:
    """Reads one YAML file into a FormSpec, collecting problems with line numbers."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.problems: list[Problem] = []
        self.lines: dict[int, int] = {}

    def problem(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.path, line, message))

    def text(self, value: Any, line: int, what: str, required: bool = True) -> Text:
        if value is None and not required:
            return {}
        if not isinstance(value, dict) or set(value) != set(LANGUAGES):
            self.problem(line, f"{what} needs text in each of {', '.join(LANGUAGES)}")
            return {}
        if not all(isinstance(v, str) and v.strip() for v in value.values()):
            self.problem(line, f"{what} has an empty translation")
        return {str(k): str(v).strip() for k, v in value.items()}

    def read(self) -> FormSpec | None:
        try:
            text = self.path.read_text(encoding="utf-8")
            data = yamlfiles.load(text)
        except (OSError, UnicodeDecodeError) as exc:
            self.problem(1, f"cannot read: {exc}")
            return None
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            self.problem(mark.line + 1 if mark else 1, f"invalid YAML: {exc}")
            return None
        if not isinstance(data, dict):
            self.problem(1, "a form definition must be a mapping")
            return None
        form = self._form(data)
        if self.problems:  # read again, this time with line numbers for the messages
            self.problems, self.lines = [], _field_lines(yamlfiles.compose(text))
            self._form(data)
        return form

    def _form(self, data: dict[str, Any]) -> FormSpec | None:
        sections = []
        for s_index, raw in enumerate(data.get("sections") or []):
            if not isinstance(raw, dict):
                self.problem(1, f"section {s_index + 1} must be a mapping")
                continue
            fields = tuple(
                spec
                for f_index, f in enumerate(raw.get("fields") or [])
                if (spec := self._field(f, self.lines.get(s_index * 1000 + f_index, 1)))
            )
            title = self.text(raw.get("title"), 1, f"section {s_index + 1} title")
            sections.append(SectionSpec(str(raw.get("id", s_index)), title, fields))
        if not sections:
            self.problem(1, "a form needs at least one section")
        form = FormSpec(
            name=str(data.get("form", self.path.stem)),
            title=self.text(data.get("title"), 1, "title"),
            intro=self.text(data.get("intro"), 1, "intro", required=False),
            summary=self.text(data.get("summary"), 1, "summary", required=False),
            sections=tuple(sections),
            one_of=tuple(tuple(group) for group in data.get("one_of") or []),
            one_of_message=self.text(
                data.get("one_of_message"), 1, "one_of_message", required=bool(data.get("one_of"))
            ),
            precheck=read_precheck(
                data.get("precheck"),
                read_field=lambda raw: self._field(raw, self.lines.get(-1, 1)),
                text=lambda value, what: self.text(value, self.lines.get(-1, 1), what),
                problem=lambda message: self.problem(self.lines.get(-1, 1), message),
                form_names=FORM_NAMES,
            ),
        )
        self._cross_checks(form)
        return None if self.problems else form

    def _field(self, raw: Any, line: int) -> FieldSpec | None:
        if not isinstance(raw, dict):
            self.problem(line, "a field must be a mapping")
            return None
        before = len(self.problems)
        name, kind = str(raw.get("name", "")), raw.get("type")
        self._validate_field(raw, name, kind, line)
        choices = tuple(
            Choice(str(c.get("value")), self.text(c.get("label"), line, f"choice of '{name}'"))
            for c in raw.get("choices") or []
            if isinstance(c, dict)
        )
        if kind in ("choice", "multichoice") and not choices:
            self.problem(line, f"field '{name}' needs choices")
        condition = self._condition(raw.get("show_when"), name, line)
        if len(self.problems) > before:
            return None
        return FieldSpec(
            name=name,
            type=str(kind),
            label=self.text(raw.get("label"), line, f"label of '{name}'"),
            required=bool(raw.get("required", False)),
            help=self.text(raw.get("help"), line, f"help of '{name}'", required=False),
            max_length=int(raw.get("max_length", 2000 if kind == "textarea" else 200)),
            choices=choices,
            show_when=condition,
            urgent_when=str(raw["urgent_when"]) if "urgent_when" in raw else None,
            min=raw.get("min"),
            max=raw.get("max"),
            max_files=int(raw.get("max_files", 1)),
            date_rule=raw.get("date_rule"),
            matches_pesel=raw.get("matches_pesel"),
            autocomplete=raw.get("autocomplete"),
            notice=self.text(raw.get("notice"), line, f"notice of '{name}'", required=False),
            required_message=self.text(
                raw.get("required_message"), line, f"required_message of '{name}'", required=False
            ),
        )

    def _validate_field(self, raw: dict[str, Any], name: str, kind: Any, line: int) -> None:
        unknown = set(raw) - FIELD_KEYS
        if unknown:
            self.problem(line, f"unknown keys: {', '.join(sorted(map(str, unknown)))}")
        if not NAME_RE.match(name) or name in RESERVED_NAMES:
            self.problem(
                line,
                f"field name '{name}' must be lowercase ASCII (a-z, 0-9, _)"
                " and not one of the reserved names",
            )
        if kind not in FIELD_TYPES:
            self.problem(line, f"field '{name}': unknown type '{kind}'")
        for key in ("max_length", "min", "max", "max_files"):
            if key in raw and not (isinstance(raw[key], int) and raw[key] >= 0):
                self.problem(line, f"field '{name}': {key} must be a whole number")
        if raw.get("date_rule") not in (None, *DATE_RULES):
            self.problem(line, f"field '{name}': date_rule must be one of {DATE_RULES}")

    def _condition(self, show: Any, name: str, line: int) -> Condition | None:
        if show is None:
            return None
        if not isinstance(show, dict) or "field" not in show:
            self.problem(line, f"field '{name}': show_when needs field and equals (or in)")
            return None
        values = show.get("in") or [show.get("equals")]
        return Condition(str(show["field"]), tuple(str(v) for v in values))

    def _cross_checks(self, spec: FormSpec) -> None:
        names = [f.name for f in spec.fields]
        for name in {n for n in names if names.count(n) > 1}:
            self.problem(1, f"field name '{name}' is used twice")
        by_name = {f.name: f for f in spec.fields}
        for f in spec.fields:
            cond = f.show_when
            if cond is None:
                continue
            target = by_name.get(cond.field)
            if target is None or target.type != "choice":
                self.problem(1, f"'{f.name}': show_when must name a choice field")
            elif not set(cond.values) <= {c.value for c in target.choices}:
                self.problem(1, f"'{f.name}': show_when names a value '{cond.field}' lacks")
        self._pesel_pairs(spec, by_name)
        for group in spec.one_of:
            for name in group:
                if name not in by_name:
                    self.problem(1, f"one_of names an unknown field '{name}'")

    def _pesel_pairs(self, spec: FormSpec, by_name: dict[str, FieldSpec]) -> None:
        for f in spec.fields:
            if f.matches_pesel is None:
                continue
            pesel = by_name.get(f.matches_pesel)
            if f.type != "date" or pesel is None or pesel.type != "pesel":
                self.problem(
                    1, f"'{f.name}': matches_pesel must be on a date, naming a pesel field"
                )


def _field_lines(node: yaml.Node | None) -> dict[int, int]:
    """Line of each field, keyed section_index * 1000 + field_index."""
    lines: dict[int, int] = {}
    top = dict((k.value, v) for k, v in node.value) if isinstance(node, yaml.MappingNode) else {}
    if "precheck" in top:  # its problems are reported at the line of `precheck:`
        lines[-1] = top["precheck"].start_mark.line
    sections = top.get("sections")
    if not isinstance(sections, yaml.SequenceNode):
        return lines
    for s_index, section in enumerate(sections.value):
        if not isinstance(section, yaml.MappingNode):
            continue
        fields = dict((k.value, v) for k, v in section.value).get("fields")
        if isinstance(fields, yaml.SequenceNode):
            for f_index, item in enumerate(fields.value):
                lines[s_index * 1000 + f_index] = item.start_mark.line + 1
    return lines


def read_definition(path: Path) -> FormSpec:
    """Read one definition; raise `DefinitionError` with every problem."""
    reader = _Reader(path)
    spec = reader.read()
    if spec is None:
        raise DefinitionError(reader.problems)
    return spec


def check_forms(forms_dir: Path) -> list[Problem]:
    """Every problem in `forms/`; the standard forms must exist."""
    problems = [
        Problem(forms_dir / f"{name}.yml", 1, "missing form definition")
        for name in FORM_NAMES
        if not (forms_dir / f"{name}.yml").is_file()
    ]
    for path in sorted(forms_dir.glob("**/*.yml")):
        if path.stem not in FORM_NAMES:
            problems.append(Problem(path, 1, f"unknown form '{path.stem}'"))
            continue
        try:
            read_definition(path)
        except DefinitionError as exc:
            problems.extend(exc.problems)
    return problems
