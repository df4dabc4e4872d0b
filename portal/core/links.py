"""Links that leave the site (mail, printed, shown for copying): built on PORTAL_BASE_URL.

Never on the request's Host header: whoever sends the request chooses that header,
so a link built from it can point anywhere — into an applicant's mail, or into a
notice that asks staff to log in (a ready-made phishing lure).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import Flask, current_app


def base_url() -> str:
    """The site's address without a trailing slash (PORTAL_BASE_URL, or the local default)."""
    return str(current_app.config["PORTAL_BASE_URL"])


def external_url(endpoint: str, **values: Any) -> str:
    """The absolute address of `endpoint` on the site's own address, in or out of a request."""
    parts = urlsplit(base_url())
    adapter = current_app.url_map.bind(
        parts.netloc, script_name=parts.path or "/", url_scheme=parts.scheme
    )
    current_app.inject_url_defaults(endpoint, values)  # e.g. the current language
    return str(adapter.build(endpoint, values, force_external=True))


def site_url(path: str) -> str:
    """An absolute address for a path `url_for` built (hreflang links in cached pages)."""
    parts = urlsplit(base_url())
    return f"{parts.scheme}://{parts.netloc}{path}"


def configure_links(app: Flask) -> None:
    """Templates build absolute links with `site_url`, never with `request.host_url`."""
    app.add_template_global(site_url)
