"""What a visitor reads on a page: its visible text, outside passages marked `lang="pl"`."""

from __future__ import annotations

from html.parser import HTMLParser

VOID = frozenset("area base br col embed hr img input link meta source track wbr".split())
INLINE = frozenset(
    "a abbr b bdi bdo button cite code data em i kbd label mark q s small span strong sub sup "
    "time u var".split()
)
SKIPPED = frozenset(("script", "style", "template"))
# Attributes a visitor reads or hears (screen readers read labels and titles out).
READ_ATTRIBUTES = ("aria-label", "title", "alt", "placeholder")
CUT = "\x00"  # stands where a Polish passage was, so no match runs across it


class VisibleText(HTMLParser):
    """Collects the visible text of a page, leaving out what is inside `lang="pl"`."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []  # (tag, inside Polish or a skipped element)
        self.parts: list[str] = []

    def _inside_polish(self) -> bool:
        return bool(self.stack) and self.stack[-1][1]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        lang = values.get("lang")
        polish = self._inside_polish() if lang is None else lang == "pl"
        hidden = polish or tag in SKIPPED
        if not hidden:
            self.parts += [f"\n{values[a]}\n" for a in READ_ATTRIBUTES if values.get(a)]
            if tag == "meta" and values.get("name") == "description":
                self.parts.append(f"\n{values.get('content') or ''}\n")
        if tag not in INLINE:
            self.parts.append("\n")
        if polish and not self._inside_polish():
            self.parts.append(CUT)
        if tag not in VOID:
            self.stack.append((tag, hidden))

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                break
        if tag not in INLINE:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._inside_polish():
            self.parts.append(data)

    def lines(self) -> list[str]:
        text = "".join(self.parts)
        return [" ".join(line.split()) for line in text.split("\n") if line.strip()]


def visible_lines(html: str) -> list[str]:
    """The page's visible text, line by line (blocks and attributes apart), Polish cut out."""
    parser = VisibleText()
    parser.feed(html)
    parser.close()
    return parser.lines()
