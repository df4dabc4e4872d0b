"""Public request views (placeholder until the forms land)."""

from __future__ import annotations

from flask import Blueprint, abort

from portal.i18n import localized_route
from portal.pages.centres import Centre

bp = Blueprint("referrals", __name__)


@localized_route(bp, "/<centre:centre>/zgloszenie", methods=["GET", "POST"])
def zgloszenie(centre: Centre) -> str:
    abort(404)


@localized_route(bp, "/<centre:centre>/za-zyciem/wniosek", methods=["GET", "POST"])
def za_zyciem(centre: Centre) -> str:
    abort(404)
