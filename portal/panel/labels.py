"""What staff read for each code: statuses, kinds, close reasons, roles, audit actions, and
the page editor's states and content-check's findings."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_babel.speaklater import LazyString

from portal.audit.models import AuditEvent
from portal.auth.roles import Role
from portal.core.problems import Problem
from portal.panel.timefmt import local_date
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
DUE_REASON_LABELS: dict[str, LazyString] = {
    "applicant_asked": _l("Na prośbę osoby zgłaszającej"),
    "documents_awaited": _l("Czekamy na dokumenty"),
    "staff_absence": _l("Nieobecność pracownika"),
    "other": _l("Inny powód"),
}
IDENTIFIER_LABELS: dict[str, LazyString] = {
    "pesel": _l("PESEL"),
    "email": _l("Adres e-mail"),
    "phone": _l("Numer telefonu"),
}
ERASE_REASON_LABELS: dict[str, LazyString] = {
    "art17_request": _l("Żądanie osoby (art. 17 RODO)"),
    "consent_withdrawn": _l("Cofnięcie zgody"),
    "unlawful": _l("Dane przetwarzane bez podstawy"),
    "other": _l("Inny powód"),
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
    "due_date": _l("Zmiana terminu odpowiedzi"),
    "download": _l("Pobranie pliku"),
    "download_all": _l("Pobranie wszystkich plików (PDF)"),
    "export": _l("Eksport"),
    "print": _l("Wydruk PDF"),
    "message_question": _l("Pytanie do osoby zgłaszającej"),
    "message_news": _l("Informacja dla osoby zgłaszającej"),
    "reply": _l("Odpowiedź osoby zgłaszającej"),
    "person_search": _l("Wyszukanie danych osoby"),
    "person_export": _l("Wydanie danych osobie (art. 15 RODO)"),
    "person_erase": _l("Usunięcie danych osoby (art. 17 RODO)"),
    "account_create": _l("Założenie konta"),
    "account_password_link": _l("Nowy link do ustawienia hasła"),
    "account_deactivate": _l("Wyłączenie konta"),
    "account_activate": _l("Włączenie konta"),
    "account_reset_2fa": _l("Reset weryfikacji dwuetapowej"),
    "account_role": _l("Zmiana roli"),
    "account_rename": _l("Zmiana nazwy konta"),
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


def _codes(detail: str) -> tuple[str, dict[str, str]]:
    """ "a->b reason=x user=3" → ("a->b", {"reason": "x", "user": "3"})."""
    head, values = "", {}
    for part in detail.split():
        key, sep, value = part.partition("=")
        if sep:
            values[key] = value
        elif not head:
            head = part
    return head, values


def _change(head: str, words: dict[str, LazyString]) -> str:
    old, _sep, new = head.partition("->")
    return f"{words[old]} → {words[new]}" if old in words and new in words else ""


def _day(text: str) -> str:
    try:
        return local_date(date.fromisoformat(text))
    except ValueError:
        return text


def _details(event: AuditEvent, names: dict[int, str]) -> str:
    """What an event's codes say, in words (empty when there is nothing to add)."""
    head, codes = _codes(event.detail)
    if event.action in ("status", "withdraw"):
        words = _change(head, STATUS_LABELS)
        reason = codes.get("reason", "")
        if reason in CLOSE_REASON_LABELS:
            words += f" ({CLOSE_REASON_LABELS[reason]})"
        return words
    if event.action == "due_date":
        old, _sep, new = head.partition("->")
        reason = codes.get("reason", "")
        because = f" ({DUE_REASON_LABELS[reason]})" if reason in DUE_REASON_LABELS else ""
        return f"{_day(old)} → {_day(new)}{because}"
    if event.action == "assign":
        who = codes.get("user", "")
        return names.get(int(who), "—") if who.isdigit() else str(_l("nikt"))
    if event.action == "export":
        return codes.get("format", "csv").upper()
    if event.action == "person_search":
        kind = codes.get("kind", "")
        label = IDENTIFIER_LABELS[kind] if kind in IDENTIFIER_LABELS else kind
        return str(_l("%(kind)s, znaleziono: %(n)s", kind=label, n=codes.get("found", "?")))
    if event.action == "person_erase":
        reason = codes.get("reason", "")
        return str(ERASE_REASON_LABELS[reason]) if reason in ERASE_REASON_LABELS else reason
    if event.action == "download_all":
        count = codes.get("files", "")
        return ngettext("%(num)d plik", "%(num)d pliki", int(count)) if count.isdigit() else ""
    if event.action == "print":
        return str(_l("z notatkami")) if codes.get("notes") == "yes" else ""
    return ""


def event_text(event: AuditEvent, names: dict[int, str] | None = None) -> str:
    """An audit event in words: the action, and what its codes say (statuses, dates,
    reasons, the person a request was given to)."""
    text = str(ACTION_LABELS.get(event.action, event.action))
    details = _details(event, names or {})
    return f"{text}: {details}" if details else text


def problem_text(problem: Problem, line: int | None = None) -> str:
    """A finding of content-check in the panel's language, with the line of the text field
    it is on (when there is one)."""
    label = PROBLEM_LABELS.get(problem.code)
    text = str(label) % {"subject": problem.subject} if label else problem.message
    if line is None:
        return text
    return str(_l("Wiersz %(line)d: %(text)s", line=line, text=text))
