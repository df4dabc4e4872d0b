"""YAML reading for content and form files, with libyaml's C parser when present.

The pure-Python parser made start-up with thousands of centres take seconds;
the C one is the same parser, safe subset included, about ten times faster.
"""

from __future__ import annotations

from typing import Any

import yaml

HAS_LIBYAML = hasattr(yaml, "CSafeLoader")


def load(text: str) -> Any:
    """Parse YAML text into plain data (the safe subset only)."""
    if HAS_LIBYAML:
        return yaml.load(text, Loader=yaml.CSafeLoader)
    return yaml.safe_load(text)


def compose(text: str) -> yaml.Node | None:
    """Parse YAML text into nodes, which know their line numbers."""
    if HAS_LIBYAML:
        return yaml.compose(text, Loader=yaml.CSafeLoader)
    return yaml.compose(text, Loader=yaml.SafeLoader)
