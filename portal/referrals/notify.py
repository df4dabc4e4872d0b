"""The two messages a new request sends: to the applicant and to the centre's inbox.

Neither carries health data, the applicant's name, nor the kind of request
(a "Za życiem" application alone says something about health). They are written
once the request has its id and put into the outbox in the request's own
transaction; the mail worker sends them (`send-outbox --watch`), so a slow or
absent SMTP server never slows a request.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext

from flask import render_template
from flask_babel import force_locale, get_locale

from portal.core.centres import Centre
from portal.core.links import external_url
from portal.notifications.mail import Mail, queue
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


def notices_for(centre: Centre, applicant_email: str | None) -> Callable[[Request], list[Mail]]:
    """What a new request of `centre` sends: a message to the applicant (if they gave an
    address) and a notice to the centre's inbox; for `submit`, once the request has its id."""
    return lambda req: _compose(req, centre, applicant_email)


def status_link(req: Request) -> str:
    """The applicant's status page, in the language they wrote in (for mail)."""
    return external_url("referrals.status", token=make_token(req), lang=req.lang)


def applicant_notice(req: Request, centre: Centre, kind: str, email: str) -> Mail:
    """To the applicant: the centre has a question (`kind="question"`) or news for them.

    Only that, and the status link: the words themselves are on the status page.
    """
    with _in_language(req.lang):
        body = render_template(
            "mail/message.txt",
            req=req,
            centre=centre,
            kind=kind,
            status_url=status_link(req),
            current_lang=req.lang,
        )
        subject = render_template("mail/message_subject.txt", req=req, centre=centre, kind=kind)
    return Mail(email, subject.strip(), body)


def reply_notice(req: Request, centre: Centre) -> Mail:
    """To the centre's inbox: the applicant replied (no words of the reply, a panel link)."""
    panel_url = external_url("panel.show", request_id=req.id)
    with _in_language(STAFF_LANGUAGE):
        body = render_template("mail/reply_centre.txt", req=req, centre=centre, panel_url=panel_url)
        subject = render_template("mail/reply_centre_subject.txt", req=req)
    return Mail(centre.inbox, subject.strip(), body)


def _compose(req: Request, centre: Centre, applicant_email: str | None) -> list[Mail]:
    mails = []
    if applicant_email:
        status_url = status_link(req)
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
    panel_url = external_url("panel.show", request_id=req.id)
    with _in_language(STAFF_LANGUAGE):
        body = render_template("mail/centre.txt", req=req, centre=centre, panel_url=panel_url)
        subject = render_template("mail/centre_subject.txt", req=req, centre=centre)
    mails.append(Mail(centre.inbox, subject.strip(), body))
    return mails


def queue_draft_link(to: str, centre: Centre, link: str, lang: str) -> OutboxMessage:
    """The "finish later" link by mail: the link and the centre, nothing of the answers."""
    with _in_language(lang):
        body = render_template("mail/draft.txt", centre=centre, link=link, current_lang=lang)
        subject = render_template("mail/draft_subject.txt", centre=centre)
    return queue(Mail(to, subject.strip(), body), centre.slug)
