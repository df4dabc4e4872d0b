"""What staff read for each code: statuses, kinds, close reasons, roles, audit actions, and
the page editor's states and content-check's findings."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString

from portal.audit.models import AuditEvent
from portal.auth.roles import Role
from portal.core.problems import Problem
from portal.referrals.lifecycle import WITHDRAWN_REASON

STATUS_LABELS: dict[str, LazyString] = {
    "new": _l("Nowe"),
    "in_review": _l("W analizie"),
    "interview_scheduled": _l("Wywiad środowiskowy umówiony"),
    "assistant_assigned": _l("Asystent przydzielony"),
    "referred_elsewhere": _l("Przekazane innej instytucji"),
    "closed": _l("Zamknięte"),
    "withdrawn": _l("Wycofane"),
}
KIND_LABELS: dict[str, LazyString] = {
    "zgloszenie": _l("Prośba o asystenta"),
    "za-zyciem": _l("Wniosek „Za życiem”"),
}
CLOSE_REASON_LABELS: dict[str, LazyString] = {
    "no_contact": _l("Brak kontaktu z rodziną"),
    "family_declined": _l("Rodzina zrezygnowała"),
    "outside_area": _l("Poza terenem działania ośrodka"),
    "duplicate": _l("Duplikat innego zgłoszenia"),
    "other": _l("Inny powód"),
    WITHDRAWN_REASON: _l("Wycofane przez osobę zgłaszającą"),
}
ROLE_LABELS: dict[Role, LazyString] = {
    Role.WORKER: _l("Pracownik"),
    Role.MANAGER: _l("Kierownik"),
    Role.ADMIN: _l("Administrator"),
}
ACTION_LABELS: dict[str, LazyString] = {
    "login": _l("Logowanie"),
    "login_failed": _l("Nieudane logowanie"),
    "lockout": _l("Blokada logowania"),
    "logout": _l("Wylogowanie"),
    "totp_enrolled": _l("Włączenie weryfikacji dwuetapowej"),
    "recovery_code_used": _l("Użycie kodu zapasowego"),
    "password_set": _l("Ustawienie hasła"),
    "view": _l("Otwarcie zgłoszenia"),
    "status": _l("Zmiana statusu"),
    "withdraw": _l("Wycofanie przez osobę zgłaszającą"),
    "assign": _l("Przydzielenie"),
    "note": _l("Notatka"),
    "interview": _l("Data wywiadu środowiskowego"),
    "consent": _l("Pisemna zgoda rodziny"),
    "download": _l("Pobranie pliku"),
    "export": _l("Eksport CSV"),
    "account_create": _l("Założenie konta"),
    "account_password_link": _l("Nowy link do ustawienia hasła"),
    "account_deactivate": _l("Wyłączenie konta"),
    "account_activate": _l("Włączenie konta"),
    "account_reset_2fa": _l("Reset weryfikacji dwuetapowej"),
    "account_role": _l("Zmiana roli"),
    "purge": _l("Usunięcie danych po okresie przechowywania"),
    "outbox_view": _l("Przegląd wysłanych wiadomości"),
    "content_save": _l("Zapis wersji strony lub danych ośrodka"),
    "content_restore": _l("Przywrócenie wcześniejszej wersji"),
    "content_review": _l("Prośba o przegląd wersji"),
    "content_send_back": _l("Zwrot wersji do poprawy"),
    "content_publish": _l("Publikacja wersji"),
    "content_policy": _l("Zmiana zasady publikowania stron"),
}
REVISION_LABELS: dict[str, LazyString] = {
    "original": _l("z plików portalu"),
    "draft": _l("robocza"),
    "review": _l("czeka na przegląd"),
    "published": _l("opublikowana"),
}
ORIGIN_LABELS: dict[str, LazyString] = {
    "published": _l("własna"),
    "file": _l("własna"),
    "default": _l("domyślna"),
}
# content-check's findings (portal.core.problems.Problem.code), as a manager reads them.
PROBLEM_LABELS: dict[str, LazyString] = {
    "heading": _l(
        "Nagłówek „# %(subject)s” jest nagłówkiem pierwszego stopnia: użyj „##” "
        "(tytuł strony jest jej jedynym takim nagłówkiem)."
    ),
    "placeholder": _l(
        "Nie ma pola %(subject)s: dostępne pola to centre.name, short_name, "
        "kind, gmina, address, phone, phones, email, hours, bip, answer_days i "
        "dpo_email."
    ),
    "braces": _l("Znaki „{{” mogą otwierać tylko pole, np. {{ centre.phone }}."),
    "link": _l("Link „%(subject)s” prowadzi do strony, której nie ma."),
    "scheme": _l(
        "Link „%(subject)s” zostanie usunięty: dozwolone są adresy https://, mailto: i tel:."
    ),
    "title": _l("Strona potrzebuje tytułu."),
    "front": _l("Nie udało się odczytać nagłówka strony (tytuł, opis, miejsce w menu)."),
    "render": _l("Tekstu nie udało się przetworzyć."),
    "postal_code": _l("Ten kod pocztowy obsługuje już inny ośrodek: %(subject)s."),
}


def event_text(event: AuditEvent) -> str:
    """An audit event in words: the action, and for a status change its two statuses."""
    text = str(ACTION_LABELS.get(event.action, event.action))
    if event.action in ("status", "withdraw"):
        change = event.detail.split(" ", 1)[0]
        old, _sep, new = change.partition("->")
        if old in STATUS_LABELS and new in STATUS_LABELS:
            text += f": {STATUS_LABELS[old]} → {STATUS_LABELS[new]}"
    return text


def problem_text(problem: Problem, line: int | None = None) -> str:
    """A finding of content-check in the panel's language, with the line of the text field
    it is on (when there is one)."""
    label = PROBLEM_LABELS.get(problem.code)
    text = str(label) % {"subject": problem.subject} if label else problem.message
    if line is None:
        return text
    return str(_l("Wiersz %(line)d: %(text)s", line=line, text=text))
