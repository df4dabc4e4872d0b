"""Checking uploaded medical certificates: type sniffing, parsing, re-encoding, virus scan."""

from flask import Flask, current_app

from portal.core.health import register_check
from portal.uploads.checks import (
    CheckedFile,
    RejectReason,
    UploadRejected,
    check_upload,
    reject_message,
    safe_display_name,
    safe_text,
)
from portal.uploads.clamd import ScannerUnavailable, ScanResult, ping, scan
from portal.uploads.sniff import FileKind, sniff

__all__ = [
    "CheckedFile",
    "FileKind",
    "RejectReason",
    "ScanResult",
    "ScannerUnavailable",
    "UploadRejected",
    "check_upload",
    "configure_uploads",
    "ping",
    "reject_message",
    "safe_display_name",
    "safe_text",
    "scan",
    "scanner_state",
    "sniff",
]


def scanner_state() -> str:
    """ "ok" when clamd answers, "unavailable" when it does not, "off" without a socket."""
    socket_path = current_app.config["PORTAL_CLAMD_SOCKET"]
    if not socket_path:
        return "off"
    return "ok" if ping(socket_path, timeout=1.0) else "unavailable"


def configure_uploads(app: Flask) -> None:
    """Report the virus scanner's state in `/healthz`."""
    register_check(app, "virus_scanner", scanner_state)
