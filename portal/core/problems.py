"""Problems found in content or form files, reported with path and line."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from portal.core import yamlfiles


@dataclass(frozen=True)
class Problem:
    """One thing wrong in one file."""

    path: Path
    line: int
    message: str  # for developers, in English (content-check prints it)
    # What kind of problem, and what it is about (a link, a heading): what a page that
    # explains it in the reader's language needs. Empty for problems only files can have.
    code: str = field(default="", compare=False)
    subject: str = field(default="", compare=False)

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


def key_lines(text: str, offset: int = 0) -> dict[str, int]:
    """1-based line of each top-level key of a YAML mapping (empty if unparsable)."""
    try:
        node = yamlfiles.compose(text)
    except yaml.YAMLError:
        return {}
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {
        str(key.value): key.start_mark.line + 1 + offset
        for key, _value in node.value
        if isinstance(key, yaml.ScalarNode)
    }
