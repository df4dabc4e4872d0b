"""Markdown to safe HTML."""

from __future__ import annotations

import re
import unicodedata

import markdown

from portal.pages.sanitize import clean_html


def _slugify(value: str, separator: str) -> str:
    # Keep Polish and Ukrainian letters readable in anchors (#jak-uzyskać-wsparcie).
    value = unicodedata.normalize("NFKC", value).strip().lower()
    value = re.sub(r"[^\w\s-]", "", value)
    return re.sub(r"[\s_-]+", separator, value).strip(separator)


def markdown_to_html(text: str) -> str:
    """Render Markdown (headings with anchors, lists, tables, links) and clean it."""
    html = markdown.markdown(
        text,
        extensions=["tables", "sane_lists", "toc"],
        extension_configs={"toc": {"slugify": _slugify}},
        output_format="html",
    )
    return clean_html(html)
