"""Public pages: each centre's description of the service, from `content/` and from
what the panel's editor published into the database (which takes precedence)."""

from __future__ import annotations

from flask import Flask

from portal.core.centres import Centre
from portal.core.i18n import current_lang
from portal.core.tenancy import CentreSource, register_centre_source
from portal.pages.cache import RenderedPages
from portal.pages.documents import PageInfo
from portal.pages.published import PublishedContent
from portal.pages.store import PageStore


def configure_pages(app: Flask) -> None:
    """Set up the page store, the published content it reads first, the public pages,
    and `export-content`."""
    from portal.pages.export import export_content_command
    from portal.pages.views import bp

    content_dir = app.config["PORTAL_CONTENT_DIR"]
    recheck = app.config["PORTAL_CONTENT_RECHECK_SECONDS"]
    published = PublishedContent(recheck)
    app.extensions["portal.published"] = published
    app.extensions["portal.pages"] = PageStore(content_dir, recheck, published)
    app.extensions["portal.rendered"] = RenderedPages()
    # Centre details published in the editor take precedence over centre.yml in content/.
    register_centre_source(app, CentreSource(published.centres_version, published.centre_documents))
    app.register_blueprint(bp)
    app.cli.add_command(export_content_command)

    @app.template_global()
    def centre_navigation(centre: Centre) -> list[PageInfo]:
        """The centre's menu, for pages outside this package (the request forms)."""
        pages: PageStore = app.extensions["portal.pages"]
        return [info for info in pages.navigation(centre, current_lang()) if info.nav]
