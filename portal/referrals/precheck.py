"""The "is this for me?" pre-check before a form: its questions (the form YAML's
`precheck:`), and what the answers mean.

A help, not a gate: the form stays reachable directly, and an answer that rules the
form out leads to an exit page that says where to go instead, never to a dead end.
Each question is a `FieldSpec` (so the form's own macros and cleaning apply) with
`exit_when`: the answers that rule the form out, or `not_served` for a postal code no
address of this centre has.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from portal.core.centres import Centre, CentreRegistry

if TYPE_CHECKING:  # definitions imports this module: the type only, no import at run time
    from portal.referrals.definitions import FieldSpec

NOT_SERVED = "not_served"  # exit_when of a postal code: no address this centre serves
EXIT_KEYS = frozenset({"exit_when", "exit", "exit_form"})
PRECHECK_TYPES = frozenset({"choice", "postal_code"})
Text = dict[str, str]


@dataclass(frozen=True)
class PrecheckQuestion:
    """One question of a pre-check and the answers that lead out of the form."""

    spec: FieldSpec
    exit_when: tuple[str, ...]
    exit: Text = field(default_factory=dict)  # why the form is not the way, and what is
    exit_form: str | None = None  # the other form to suggest, by name


@dataclass(frozen=True)
class Exit:
    """Why the answers lead elsewhere: the question, and for a postal code the centre
    that serves it (None when no centre of the portal does)."""

    question: PrecheckQuestion
    answer: str
    other_centre: Centre | None = None


@dataclass
class Answer:
    """What the form macros read of a question: the answer typed and its errors."""

    data: str = ""
    errors: list[str] = field(default_factory=list)


def read_precheck(
    raw: Any,
    *,
    read_field: Callable[[Any], FieldSpec | None],
    text: Callable[[Any, str], Text],
    problem: Callable[[str], None],
    form_names: tuple[str, ...],
) -> tuple[PrecheckQuestion, ...]:
    """The `precheck:` list of a form definition; problems go to `problem`."""
    if raw is None:
        return ()
    if not isinstance(raw, list) or not raw:
        problem("precheck must be a list of questions")
        return ()
    questions = []
    for index, item in enumerate(raw, start=1):
        if not isinstance(item, dict):
            problem(f"precheck question {index} must be a mapping")
            continue
        spec = read_field({k: v for k, v in item.items() if k not in EXIT_KEYS})
        if spec is None:
            continue
        question = _question(spec, item, text, problem, form_names)
        if question is not None:
            questions.append(question)
    return tuple(questions)


def _question(
    spec: FieldSpec,
    item: dict[str, Any],
    text: Callable[[Any, str], Text],
    problem: Callable[[str], None],
    form_names: tuple[str, ...],
) -> PrecheckQuestion | None:
    where = f"precheck '{spec.name}'"
    if spec.type not in PRECHECK_TYPES:
        problem(f"{where}: type must be one of {', '.join(sorted(PRECHECK_TYPES))}")
        return None
    raw_exit = item.get("exit_when")
    exit_when = (raw_exit,) if isinstance(raw_exit, str) else tuple(map(str, raw_exit or ()))
    allowed = {NOT_SERVED} if spec.type == "postal_code" else {c.value for c in spec.choices}
    if not exit_when or not set(exit_when) <= allowed:
        problem(f"{where}: exit_when must name {' or '.join(sorted(allowed))}")
        return None
    if item.get("exit_form") not in (None, *form_names):
        problem(f"{where}: exit_form must be one of {', '.join(form_names)}")
        return None
    needs_text = spec.type == "choice"  # a postal code's exit names the right centre itself
    exit_text = text(item.get("exit"), where + " exit") if needs_text or "exit" in item else {}
    return PrecheckQuestion(spec, exit_when, exit_text, item.get("exit_form"))


def judge(
    questions: tuple[PrecheckQuestion, ...],
    form: Mapping[str, str],
    centre: Centre,
    centres: CentreRegistry,
    clean: Callable[[FieldSpec, str], str],
) -> tuple[dict[str, Answer], Exit | None]:
    """The answers (with errors) and the first exit they lead to, if any.

    `clean` raises ValueError with the message for a wrong answer. With errors,
    there is no exit yet: the questions are asked again."""
    answers = {q.spec.name: Answer(str(form.get(q.spec.name, ""))[:50].strip()) for q in questions}
    found: Exit | None = None
    for q in questions:
        answer = answers[q.spec.name]
        try:
            answer.data = clean(q.spec, answer.data)
        except ValueError as exc:
            answer.errors.append(str(exc))
            continue
        if found is None:
            found = _exit_of(q, answer.data, centre, centres)
    if any(a.errors for a in answers.values()):
        return answers, None
    return answers, found


def _exit_of(
    q: PrecheckQuestion, value: str, centre: Centre, centres: CentreRegistry
) -> Exit | None:
    if q.spec.type == "postal_code":
        if value in centre.postal_codes:
            return None
        return Exit(q, value, centres.by_postal_code(value))
    return Exit(q, value) if value in q.exit_when else None
