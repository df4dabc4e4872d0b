"""Every query of the panel for a scoped kind of row starts in `portal.panel.access`.

Read from the code: outside the access module, no panel module may `select`,
`get` or `query` requests, audit events, outbox messages, accounts or page
revisions itself; it takes a query from a scoping function (`requests_for(...)`,
`accounts_for(...)`, `revisions_for(...)`...) and narrows it. `retention.py` is the
`purge` command: no viewer, nothing shown, so nothing to scope.
"""

from __future__ import annotations

import ast
from pathlib import Path

PANEL = Path(__file__).resolve().parents[2] / "portal" / "panel"
SCOPED_MODELS = {"Request", "AuditEvent", "OutboxMessage", "User", "ContentRevision"}
READS = {"select", "get", "get_one", "query", "scalars", "execute"}
EXEMPT = {"access.py", "retention.py"}


def _root_name(node: ast.expr) -> str | None:
    while isinstance(node, ast.Attribute):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


def _called(node: ast.Call) -> str | None:
    func = node.func
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else None


def unscoped_reads(folder: Path = PANEL) -> list[str]:
    """`file:line model` for every read of a scoped model outside the exempt modules."""
    found: list[str] = []
    for path in sorted(folder.glob("*.py")):
        if path.name in EXEMPT:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or _called(node) not in READS:
                continue
            models = {name for arg in node.args if (name := _root_name(arg))} & SCOPED_MODELS
            found.extend(f"{path.name}:{node.lineno} {model}" for model in sorted(models))
    return sorted(found)


def test_the_panel_reads_scoped_rows_only_through_the_access_module() -> None:
    assert unscoped_reads() == []


def test_the_check_sees_a_query_that_skips_the_scope(tmp_path: Path) -> None:
    (tmp_path / "planted.py").write_text(
        "def f():\n"
        "    rows = db.session.scalars(select(User.id, User.email))\n"
        "    one = db.session.get(Request, 1)\n"
        "    fine = db.session.scalars(requests_for(user).where(Request.id == 1))\n"
        "    return rows, one, fine\n"
    )
    assert unscoped_reads(tmp_path) == ["planted.py:2 User", "planted.py:3 Request"]
