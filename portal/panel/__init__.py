"""The staff panel: each centre's triage queue, accounts and the audit trail."""

from __future__ import annotations

import importlib

from flask import Flask

# Modules whose routes register themselves on the panel blueprint when imported.
VIEW_MODULES = (
    "portal.panel.views",
    "portal.panel.account_views",
    "portal.panel.audit_views",
    "portal.panel.outbox_views",
    "portal.panel.editor_views",
    "portal.panel.stats_views",
    "portal.panel.rights_views",
)


def configure_panel(app: Flask) -> None:
    """Register the panel views, the no-store rule and the `purge` command."""
    for name in VIEW_MODULES:
        importlib.import_module(name)
    from portal.panel.blueprint import bp, no_store, staff_helpers
    from portal.panel.retention import purge_command

    app.register_blueprint(bp)
    # The login pages share the panel's layout, so its helpers too.
    app.context_processor(staff_helpers)
    # App-wide, so 404s and other errors under /panel/ are not cached either.
    app.after_request(no_store)
    app.cli.add_command(purge_command)
