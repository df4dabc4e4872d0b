"""The audit trail: every step staff take, and every access to a request."""

from __future__ import annotations

from portal.audit.service import record

__all__ = ["record"]
