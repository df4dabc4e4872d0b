"""Logging in through the real pages, for the tests that are about logging in."""

from __future__ import annotations

from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from tests.panel.factories import PASSWORD, Staff, current_code


def password_step(
    client: FlaskClient,
    email: str,
    password: str = PASSWORD,
    *,
    next_url: str = "",
    address: str = "127.0.0.1",
) -> TestResponse:
    """Post the login form."""
    return client.post(
        "/panel/logowanie",
        data={"email": email, "password": password, "next": next_url},
        environ_base={"REMOTE_ADDR": address},
    )


def code_step(client: FlaskClient, code: str, address: str = "127.0.0.1") -> TestResponse:
    """Post the second-factor form."""
    return client.post(
        "/panel/dwuetapowe", data={"code": code}, environ_base={"REMOTE_ADDR": address}
    )


def full_login(client: FlaskClient, staff: Staff, next_url: str = "") -> TestResponse:
    """Password and TOTP code; returns the response of the second step."""
    first = password_step(client, staff.email, next_url=next_url)
    assert first.status_code == 302, first.text
    return code_step(client, current_code(staff))


def session_cookie(client: FlaskClient) -> str | None:
    """The current value of the session cookie."""
    cookie = client.get_cookie("portal_session")
    return cookie.value if cookie else None
