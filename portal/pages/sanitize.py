"""The one place rendered HTML is cleaned.

bleach is in security-fix-only mode; nh3 is its likely successor. Everything
that cleans HTML calls `clean_html`, so swapping the library is one edit.
"""

from __future__ import annotations

import re

import bleach

ALLOWED_TAGS = frozenset(
    """a abbr blockquote br code em h2 h3 h4 h5 h6 hr li ol p pre span strong
    table tbody td th thead tr ul dl dt dd sub sup""".split()
)
ALLOWED_ATTRIBUTES: dict[str, list[str]] = {
    "a": ["href", "title", "hreflang", "lang"],
    "abbr": ["title"],
    "span": ["lang"],
    "p": ["lang"],
    "li": ["lang"],
    "h2": ["id"],
    "h3": ["id"],
    "h4": ["id"],
    "h5": ["id"],
    "h6": ["id"],
    "ol": ["start"],
    "th": ["scope"],
    "td": [],
}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto", "tel"})

_cleaner = bleach.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    protocols=ALLOWED_PROTOCOLS,
    strip=True,
    strip_comments=True,
)


# Elements whose text must go too: bleach's strip keeps the text of dropped tags.
_DROP_WITH_CONTENT = re.compile(
    r"<(script|style|iframe|object|embed|noscript|template|textarea|title)\b.*?</\1\s*>",
    re.IGNORECASE | re.DOTALL,
)


def clean_html(html: str) -> str:
    """Keep only the allow-listed tags, attributes and link schemes."""
    return _cleaner.clean(_DROP_WITH_CONTENT.sub("", html))
