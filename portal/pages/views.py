"""Public views: the list of centres and each centre's pages."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, make_response, render_template, request
from werkzeug.wrappers import Response

from portal.i18n import current_lang, localized_route
from portal.pages.centres import Centre
from portal.pages.documents import PageStore
from portal.tenancy import registry

bp = Blueprint("pages", __name__)

MAX_QUERY = 100
# Content changes rarely; a proxy may keep a page five minutes and revalidate with the ETag.
CACHE_CONTROL = "public, max-age=300, must-revalidate"


def store() -> PageStore:
    pages: PageStore = current_app.extensions["portal.pages"]
    return pages


def cacheable(body: str) -> Response:
    """A public page: no cookie, an ETag, and a 304 for a matching conditional GET."""
    response = make_response(body)
    response.headers["Cache-Control"] = CACHE_CONTROL
    response.add_etag()
    return response.make_conditional(request)


@localized_route(bp, "/")
def index() -> Response:
    query = request.args.get("q", "")[:MAX_QUERY]
    centres = registry().search(query)
    return cacheable(render_template("pages/index.html", centres=centres, query=query))


@localized_route(bp, "/<centre:centre>/", endpoint="centre")
def centre_home(centre: Centre) -> Response:
    return show(centre, "index")


@localized_route(bp, "/<centre:centre>/<slug:page>")
def page(centre: Centre, page: str) -> Response:
    if page == "index":
        abort(404)
    return show(centre, page)


def show(centre: Centre, slug: str) -> Response:
    lang = current_lang()
    found = store().page(centre, slug, lang)
    if found is None:
        abort(404)
    nav = [info for info in store().navigation(centre, lang) if info.nav]
    body = render_template("pages/page.html", centre=centre, page=found, nav=nav, slug=slug)
    return cacheable(body)
