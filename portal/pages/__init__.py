"""Public pages: each centre's description of the service, read from `content/`."""

from __future__ import annotations

from flask import Flask

from portal.core.centres import Centre
from portal.core.i18n import current_lang
from portal.pages.cache import RenderedPages
from portal.pages.documents import PageInfo, PageStore


def configure_pages(app: Flask) -> None:
    """Set up the page store and register the public pages."""
    from portal.pages.views import bp

    content_dir = app.config["PORTAL_CONTENT_DIR"]
    recheck = app.config["PORTAL_CONTENT_RECHECK_SECONDS"]
    app.extensions["portal.pages"] = PageStore(content_dir, recheck)
    app.extensions["portal.rendered"] = RenderedPages()
    app.register_blueprint(bp)

    @app.template_global()
    def centre_navigation(centre: Centre) -> list[PageInfo]:
        """The centre's menu, for pages outside this package (the request forms)."""
        pages: PageStore = app.extensions["portal.pages"]
        return [info for info in pages.navigation(centre, current_lang()) if info.nav]
