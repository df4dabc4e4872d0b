"""Checking uploaded medical certificates: type sniffing, parsing, re-encoding, virus scan."""

from portal.uploads.checks import (
    CheckedFile,
    RejectReason,
    UploadRejected,
    check_upload,
    reject_message,
    safe_display_name,
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
    "ping",
    "reject_message",
    "safe_display_name",
    "scan",
    "sniff",
]
