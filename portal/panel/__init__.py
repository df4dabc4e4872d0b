"""The staff panel: each centre's triage queue."""

from __future__ import annotations

from flask import Flask


def configure_panel(app: Flask) -> None:
    """Register the panel views."""
