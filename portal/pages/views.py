"""Public views: the list of centres and each centre's pages."""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, abort, current_app, render_template, request
from werkzeug.wrappers import Response

from portal.core.centres import Centre
from portal.core.i18n import current_lang, localized_route
from portal.core.tenancy import registry
from portal.pages.cache import Rendered, RenderedPages, finish
from portal.pages.published import PublishedContent
from portal.pages.store import PageStore

bp = Blueprint("pages", __name__)

MAX_QUERY = 100


def cache_control() -> str:
    """Content changes rarely: a proxy may keep a page a while (PORTAL_PAGE_MAX_AGE, five
    minutes by default) and then revalidates it with the ETag."""
    return f"public, max-age={current_app.config['PORTAL_PAGE_MAX_AGE']}, must-revalidate"


def store() -> PageStore:
    pages: PageStore = current_app.extensions["portal.pages"]
    return pages


def published() -> PublishedContent:
    content: PublishedContent = current_app.extensions["portal.published"]
    return content


def rendered_pages() -> RenderedPages:
    cache: RenderedPages = current_app.extensions["portal.rendered"]
    return cache


def cacheable(rendered: Rendered) -> Response:
    """A public page: no cookie, an ETag, and a 304 for a matching conditional GET."""
    response = Response(rendered.body, mimetype="text/html")
    response.headers["Cache-Control"] = cache_control()
    response.set_etag(rendered.etag)
    return response.make_conditional(request)


def cached_page(name: str, signature: object, render: Callable[[], str]) -> Response:
    """Serve `name` from the rendered-page cache, rendering it when its sources changed."""
    # A page differs by language only: its absolute (hreflang) links use PORTAL_BASE_URL,
    # so a made-up Host header can neither reach the page nor fill the cache with copies.
    key = (name, current_lang())
    rendered = rendered_pages().get(key, signature)
    if rendered is None:
        rendered = rendered_pages().put(key, signature, render())
    return cacheable(rendered)


@bp.get("/favicon.ico")
def favicon() -> Response:
    """The icon at the address browsers and tools ask for even without a `<link rel=icon>`."""
    return current_app.send_static_file("favicon.ico")


@localized_route(bp, "/")
def index() -> Response:
    query = request.args.get("q", "")[:MAX_QUERY]

    def render() -> str:
        centres = registry().search(query)
        return render_template("pages/index.html", centres=centres, query=query)

    if query:  # searches vary without end: render them, but don't keep them
        return cacheable(finish(None, render()))
    # The list shows centres' names and addresses: it changes with their published details.
    return cached_page("index", (len(registry()), published().centres_version()), render)


@localized_route(bp, "/<centre:centre>/", endpoint="centre")
def centre_home(centre: Centre) -> Response:
    return show(centre, "index")


@localized_route(bp, "/<centre:centre>/<slug:page>")
def page(centre: Centre, page: str) -> Response:
    if page == "index":
        abort(404)
    return show(centre, page)


def show(centre: Centre, slug: str) -> Response:
    """A centre's page in the current language, from the cache while its files are unchanged."""

    def render() -> str:
        lang = current_lang()
        found = store().page(centre, slug, lang)
        if found is None:
            abort(404)
        nav = [info for info in store().navigation(centre, lang) if info.nav]
        return render_template("pages/page.html", centre=centre, page=found, nav=nav, slug=slug)

    return cached_page(f"{centre.slug}/{slug}", store().signature(centre), render)
