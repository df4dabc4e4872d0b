"""The README tells a new user where things are: the demo centres, the outbox, the links."""

from __future__ import annotations

import re

from tests.visitor.pages import CONTENT, ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_lists_every_demo_centre_with_its_addresses() -> None:
    for centre in sorted(p.parent.name for p in CONTENT.glob("*/centre.yml")):
        for path in (f"/{centre}/", f"/{centre}/zgloszenie", f"/{centre}/za-zyciem/wniosek"):
            assert f"`{path}`" in README, path


def test_readme_says_the_outbox_is_for_managers() -> None:
    assert re.search(r"managers\s+read it in the panel at `/panel/poczta`", README)


def test_readme_says_create_user_links_follow_the_base_url() -> None:
    row = next(line for line in README.splitlines() if line.startswith("| `create-user"))
    assert "`PORTAL_BASE_URL`" in row
