"""Schema management: `init-db` brings any database to the current schema."""

from __future__ import annotations

from portal.extensions import db


def import_models() -> None:
    """Import every model module so the metadata knows all tables."""
    import portal.audit.models  # noqa: F401
    import portal.auth.models  # noqa: F401
    import portal.notifications.models  # noqa: F401
    import portal.referrals.models  # noqa: F401


def upgrade_database() -> None:
    """Create the tables that do not exist yet."""
    import_models()
    db.create_all()
