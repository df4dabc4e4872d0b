"""Sessions that cost nothing until a page needs one.

Public content pages are read by visitors without a cookie; Flask would still
build a signing serializer for each of them. Here a request without a session
cookie gets an empty session straight away, and signing starts only when a
cookie is sent or the session is written (a form's CSRF token, a staff login).
"""

from __future__ import annotations

from flask import Flask, Request
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface


class LazyCookieSessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, minus the work for cookieless requests."""

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        if not request.cookies.get(self.get_cookie_name(app)):
            return self.session_class()
        return super().open_session(app, request)


def configure_sessions(app: Flask) -> None:
    """Use the lazy interface (same cookie, same signing, same settings)."""
    app.session_interface = LazyCookieSessionInterface()
