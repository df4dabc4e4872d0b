"""Decrypted access to stored files, for the staff panel."""

from portal.referrals.display import attachment_content, attachment_name

__all__ = ["attachment_content", "attachment_name"]
