"""The two messages a new request sends: to the applicant and to the centre's inbox.

Neither carries health data, the applicant's name, nor the kind of request
(a "Za życiem" application alone says something about health). They are put
into the outbox in the request's own transaction and sent once it is committed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext

from flask import render_template, url_for
from flask_babel import force_locale, get_locale

from portal.core.centres import Centre
from portal.notifications.mail import Mail, deliver_all, queue
from portal.notifications.models import OutboxMessage
from portal.referrals.models import Request
from portal.referrals.status import make_token

log = logging.getLogger(__name__)
STAFF_LANGUAGE = "pl"


@contextmanager
def _in_language(lang: str) -> Iterator[None]:
    # force_locale reloads the catalogues: only pay for it when the language differs.
    same = str(get_locale()) == lang
    with nullcontext() if same else force_locale(lang):
        yield


# The request's id exists only once it is inserted; the texts are written before that.
ID_SLOT = "\x00request-id\x00"


def draft_notices(
    req: Request, centre: Centre, applicant_email: str | None
) -> Callable[[], list[OutboxMessage]]:
    """Write the notices now; the returned step puts them into the outbox (not committed).

    Writing takes milliseconds: done before the request is inserted, it does not hold
    the database's write lock (SQLite has one for the whole file). A failure is logged,
    never raised: the request must be stored even when a message cannot be written.
    """
    try:
        mails = _compose(req, centre, applicant_email)
    except Exception:
        log.exception("notices not written for request reference")
        mails = []

    def queue_all() -> list[OutboxMessage]:
        request_id = str(req.id)
        return [
            queue(Mail(m.to, m.subject, m.body.replace(ID_SLOT, request_id)), centre.slug)
            for m in mails
        ]

    return queue_all


def send_notices(rows: list[OutboxMessage]) -> None:
    """Send committed outbox rows by SMTP, if configured; never raises."""
    deliver_all(rows)


def _compose(req: Request, centre: Centre, applicant_email: str | None) -> list[Mail]:
    mails = []
    if applicant_email:
        status_url = url_for(
            "referrals.status", token=make_token(req), lang=req.lang, _external=True
        )
        with _in_language(req.lang):
            body = render_template(
                "mail/applicant.txt",
                req=req,
                centre=centre,
                status_url=status_url,
                current_lang=req.lang,
            )
            subject = render_template("mail/applicant_subject.txt", req=req, centre=centre)
        mails.append(Mail(applicant_email, subject.strip(), body))
    # The panel's address is part of the URL contract (DESIGN.md): /panel/zgloszenia/<id>.
    panel_url = f"{url_for('pages.index', lang='pl', _external=True)}panel/zgloszenia/{ID_SLOT}"
    with _in_language(STAFF_LANGUAGE):
        body = render_template("mail/centre.txt", req=req, centre=centre, panel_url=panel_url)
        subject = render_template("mail/centre_subject.txt", req=req, centre=centre)
    mails.append(Mail(centre.inbox, subject.strip(), body))
    return mails
