"""The centre a request is about, resolved once: a URL converter and `g.centre`.

Every public route that names a centre uses the `centre` converter, so an
unknown or reserved slug never reaches a view.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, current_app, g
from werkzeug.routing import BaseConverter, ValidationError

from portal.core.centres import RESERVED_SLUGS, Centre, CentreRegistry


class CentreConverter(BaseConverter):
    """`<centre:centre>`: a slug of a known centre, handed to the view as a `Centre`."""

    regex = r"[a-z0-9][a-z0-9-]{0,62}"

    def to_python(self, value: str) -> Centre:
        if value in RESERVED_SLUGS:
            raise ValidationError()
        centre = registry().get(value)
        if centre is None:
            raise ValidationError()
        return centre

    def to_url(self, value: Any) -> str:
        return value.slug if isinstance(value, Centre) else str(value)


def registry() -> CentreRegistry:
    """The centres of this app, loaded from `content/` at start-up."""
    reg: CentreRegistry = current_app.extensions["portal.centres"]
    return reg


def _remember_centre(endpoint: str | None, values: dict[str, Any] | None) -> None:
    if values and isinstance(values.get("centre"), Centre):
        g.centre = values["centre"]


def configure_tenancy(app: Flask) -> None:
    """Load the centres, register the converters and put the resolved centre into `g.centre`."""
    app.extensions["portal.centres"] = CentreRegistry.load(app.config["PORTAL_CONTENT_DIR"])
    app.url_map.converters["centre"] = CentreConverter
    app.url_map.converters["slug"] = SlugConverter
    app.url_value_preprocessor(_remember_centre)


class SlugConverter(BaseConverter):
    """A page slug: lowercase ASCII letters, digits and hyphens."""

    regex = r"[a-z0-9][a-z0-9-]{0,62}"
