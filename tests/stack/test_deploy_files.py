"""The files of deploy/ as a server would read them: nginx -t, systemd-analyze verify."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from stack.config import DEPLOY, ROOT
from stack.services import program


def _copy(source: Path, target: Path, paths: dict[str, str]) -> None:
    text = source.read_text(encoding="utf-8")
    for production, local in paths.items():
        text = text.replace(production, local)
    target.write_text(text, encoding="utf-8")


def test_the_production_nginx_site_is_valid(tmp_path: Path) -> None:
    """deploy/nginx/portal.conf as it is, with a throwaway certificate for its TLS lines."""
    (tmp_path / "ssl").mkdir()
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=asystent.example.org",
            "-keyout",
            str(tmp_path / "ssl" / "privkey.pem"),
            "-out",
            str(tmp_path / "ssl" / "fullchain.pem"),
        ],
        check=True,
        capture_output=True,
    )
    paths = {
        "/srv/portal/deploy/nginx/": f"{tmp_path}/",
        "/srv/portal/": f"{ROOT}/",
        "/var/cache/nginx/portal": str(tmp_path / "cache"),
        "/var/log/nginx/": f"{tmp_path}/",
        "/etc/ssl/portal/": f"{tmp_path}/ssl/",
    }
    for name in ("portal.conf", "portal-http.conf", "portal-locations.conf"):
        _copy(DEPLOY / "nginx" / name, tmp_path / name, paths)
    conf = tmp_path / "nginx.conf"
    conf.write_text(
        f"pid {tmp_path}/nginx.pid;\nevents {{}}\nhttp {{\n"
        "    include /etc/nginx/mime.types;\n"
        f"    include {tmp_path}/portal.conf;\n}}\n"
    )
    nginx = program("nginx", "/usr/sbin/nginx")
    checked = subprocess.run(
        [nginx, "-t", "-p", str(tmp_path), "-c", str(conf), "-e", str(tmp_path / "error.log")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert checked.returncode == 0, checked.stderr
    assert "test is successful" in checked.stderr


def test_the_systemd_units_are_valid(tmp_path: Path) -> None:
    """Every unit of deploy/systemd/, its paths pointed at this checkout."""
    venv = str(Path(sys.executable).parent.parent)
    paths = {"/srv/portal/.venv": venv, "/srv/portal": str(ROOT)}
    units = sorted((DEPLOY / "systemd").iterdir())
    assert {u.name for u in units} == {
        "portal.service",
        "portal-mail.service",
        "portal-purge.service",
        "portal-purge.timer",
    }
    for unit in units:
        _copy(unit, tmp_path / unit.name, paths)
    analyze = shutil.which("systemd-analyze")
    assert analyze, "systemd-analyze not found: install systemd (see .ci/run)"
    checked = subprocess.run(
        [analyze, "verify", "--man=no", *(f"./{u.name}" for u in units)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert checked.returncode == 0 and checked.stderr.strip() == "", checked.stderr
