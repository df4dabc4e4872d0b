"""The two messages a new request sends: to the applicant and to the centre's inbox.

Neither carries health data, the applicant's name, nor the kind of request
(a "Za życiem" application alone says something about health).
"""

from __future__ import annotations

import logging

from flask import render_template, url_for
from flask_babel import force_locale

from portal.notifications.mail import Mail, send_all
from portal.pages.centres import Centre
from portal.referrals.models import Request
from portal.referrals.status import make_token

log = logging.getLogger(__name__)


def notify_new_request(req: Request, centre: Centre, applicant_email: str | None) -> None:
    """Queue and send the notices; a failure is logged, never raised."""
    try:
        _notify(req, centre, applicant_email)
    except Exception:  # the request is stored already: a mail problem must not hide that
        log.exception("notices not sent for request id=%s", req.id)


def _notify(req: Request, centre: Centre, applicant_email: str | None) -> None:
    status_url = url_for("referrals.status", token=make_token(req), lang=req.lang, _external=True)
    mails: list[tuple[Mail, str | None]] = []
    if applicant_email:
        with force_locale(req.lang):
            body = render_template(
                "mail/applicant.txt",
                req=req,
                centre=centre,
                status_url=status_url,
                current_lang=req.lang,
            )
            subject = render_template("mail/applicant_subject.txt", req=req, centre=centre)
        mails.append((Mail(applicant_email, subject.strip(), body), centre.slug))
    # The panel's address is part of the URL contract (DESIGN.md): /panel/zgloszenia/<id>.
    panel_url = f"{url_for('pages.index', lang='pl', _external=True)}panel/zgloszenia/{req.id}"
    with force_locale("pl"):
        body = render_template("mail/centre.txt", req=req, centre=centre, panel_url=panel_url)
        subject = render_template("mail/centre_subject.txt", req=req, centre=centre)
    mails.append((Mail(centre.inbox, subject.strip(), body), centre.slug))
    send_all(mails)
