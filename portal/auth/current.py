"""Per-request staff context: the logged-in account (`g.user`) and the panel language.

Registered as a `before_request` of the staff blueprints only: public pages never
read the session, so they set no cookie and stay cacheable.
"""

from __future__ import annotations

from typing import Any

from flask import g, request, session

from portal.auth.models import User
from portal.auth.sessions import load_user
from portal.core.settings import DEFAULT_LANGUAGE, LANGUAGES


def current_user() -> User | None:
    """The account logged in for this request, if any."""
    user: User | None = g.get("user")
    return user


def choose_panel_language() -> None:
    """`?lang=pl|en|uk` switches the panel's language for the rest of the session."""
    wanted = request.args.get("lang")
    if wanted in LANGUAGES and session.get("panel_lang") != wanted:
        session["panel_lang"] = wanted
    lang = session.get("panel_lang")
    g.panel_lang = lang if lang in LANGUAGES else DEFAULT_LANGUAGE
    # base.html takes <html lang> from the request's language.
    g.lang = g.panel_lang


def load_staff() -> None:
    """Load the account from the session; remember why a session just ended."""
    choose_panel_language()
    loaded = load_user()
    g.user = loaded.user
    g.session_ended = loaded.ended


def staff_context() -> dict[str, Any]:
    """Template values of every staff page."""
    from portal.core.tenancy import registry

    user = current_user()
    centre = registry().get(user.centre_slug) if user else None
    return {"staff": user, "staff_centre": centre, "panel_langs": LANGUAGES}
