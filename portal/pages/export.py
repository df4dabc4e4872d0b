"""`export-content DIR`: the content as the site shows it, written back as `content/` files.

Every file of `content/` with the published revisions in place of (or beside) the
files they override, in the same layout: `<centre>/centre.yml`,
`<centre>/<page>.<lang>.md`, `_defaults/`. A revision already is the whole text
of its file, so the export is the text itself; `content-check` accepts the result
as it accepts `content/`. Files whose text is unchanged are not rewritten (their
modification times, which a git checkout and the page caches watch, stay as they
are), so exporting into a checkout and running `git diff` shows what the panel
changed.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from portal.pages.check import Published
from portal.pages.documents import DEFAULTS
from portal.pages.published import published_documents


def export_content(
    content_dir: Path, published: Published, target: Path, centre: str | None = None
) -> list[Path]:
    """Write the content into `target` (only `centre` and the defaults, if given); returns
    the files written."""
    texts: dict[Path, str | bytes] = {}
    for folder in sorted(p for p in content_dir.iterdir() if p.is_dir()):
        if centre is not None and folder.name not in (centre, DEFAULTS):
            continue
        for path in sorted(folder.iterdir()):
            if path.is_file() and not path.name.startswith("."):
                texts[Path(folder.name) / path.name] = path.read_bytes()
    for (slug, filename), (_label, text) in sorted(published.items()):
        if centre is None or slug == centre:
            texts[Path(slug) / filename] = text
    return [target / rel for rel, data in texts.items() if _write(target / rel, data)]


def _write(path: Path, data: str | bytes) -> bool:
    """Write `data` to `path` through a temporary file, unless it already holds it."""
    raw = data.encode() if isinstance(data, str) else data
    try:
        if path.read_bytes() == raw:
            return False
    except OSError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(dir=path.parent, prefix=".export-")
    with os.fdopen(handle, "wb") as out:
        out.write(raw)
    os.chmod(name, 0o644)  # mkstemp's 0600 would keep the file from the web server's user
    os.replace(name, path)
    return True


@click.command("export-content")
@click.argument("target", type=click.Path(file_okay=False, path_type=Path))
@click.option("--centre", "centre", default=None, help="Only this centre (and the defaults).")
@with_appcontext
def export_content_command(target: Path, centre: str | None) -> None:
    """Write the published pages and centre details back as content/ files into TARGET."""
    content_dir: Path = current_app.config["PORTAL_CONTENT_DIR"]
    if centre is not None and not (content_dir / centre).is_dir():
        published_centres = {slug for slug, _name in published_documents()}
        if centre not in published_centres:
            raise click.BadParameter(f"no centre '{centre}'", param_hint="--centre")
    written = export_content(content_dir, published_documents(), target, centre)
    for path in written:
        click.echo(str(path))
    click.echo(f"{len(written)} file(s) written to {target}")
