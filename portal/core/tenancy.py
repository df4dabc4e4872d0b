"""The centre a request is about, resolved once: a URL converter and `g.centre`.

Every public route that names a centre uses the `centre` converter, so an
unknown or reserved slug never reaches a view.

The centres come from `content/` at start-up. A feature may supply newer details
of some centres (the page editor publishes them into the database): it registers
a source with `register_centre_source`, and `registry()` lays what the source
returns over the files whenever the source's version changes. Core names no
feature; it only calls the function it was given.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass
from pathlib import Path
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


@dataclass(frozen=True)
class CentreSource:
    """Centre details a feature supplies: `version()` is asked on every look-up, so it
    must answer from memory, and change whenever the texts do; `documents()` is asked
    only then: slug -> (label for messages, centre.yml text)."""

    version: Callable[[], Hashable]
    documents: Callable[[], Mapping[str, tuple[Path, str]]]


def register_centre_source(app: Flask, source: CentreSource) -> None:
    """Let `source` supply centre details that take precedence over `content/`."""
    app.extensions["portal.centre_source"] = source


def registry() -> CentreRegistry:
    """The centres of this app: `content/` as loaded at start-up, with the registered
    source's texts laid over it (rebuilt only when the source's version changes)."""
    files: CentreRegistry = current_app.extensions["portal.centres"]
    source: CentreSource | None = current_app.extensions.get("portal.centre_source")
    if source is None:
        return files
    version = source.version()
    live: tuple[Hashable, CentreRegistry] | None = current_app.extensions.get("portal.centres_live")
    if live is not None and live[0] == version:
        return live[1]
    # Two threads may rebuild at once: both build the same registry, the last one stays.
    documents = source.documents()
    rebuilt = files.with_documents(documents) if documents else files
    current_app.extensions["portal.centres_live"] = (version, rebuilt)
    return rebuilt


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
