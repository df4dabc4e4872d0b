"""Static files under names that change with their content (`/static/portal.css?v=…`).

The proxy serves `/static` itself and lets browsers keep a versioned file for a
year (docs/deploy.md, deploy/nginx/): a changed file gets a new address, so no
visitor ever runs an old script against a new page.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path
from typing import Any

from flask import Flask

VERSION_LENGTH = 12


@lru_cache(maxsize=64)
def _digest(path: Path, mtime_ns: int) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:VERSION_LENGTH]


def version_of(folder: Path, filename: str) -> str | None:
    """A short digest of the file's bytes, or None when there is no such file."""
    path = (folder / filename).resolve()
    if not path.is_relative_to(folder.resolve()) or not path.is_file():
        return None
    return _digest(path, path.stat().st_mtime_ns)


def configure_assets(app: Flask) -> None:
    """Add `v=<digest>` to every `url_for('static', ...)`."""
    folder = Path(str(app.static_folder))

    @app.url_defaults
    def _versioned(endpoint: str, values: dict[str, Any]) -> None:
        if endpoint == "static" and "v" not in values:
            version = version_of(folder, str(values.get("filename", "")))
            if version is not None:
                values["v"] = version
