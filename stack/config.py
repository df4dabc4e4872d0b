"""The stack's configuration, made from the files in deploy/ (so it cannot drift from them).

- the environment file: deploy/portal.env's variables, every one set, with loopback values;
- nginx: deploy/nginx/portal-http.conf and portal-locations.conf as they are, with the
  paths of this machine, and the upstream block of deploy/nginx/portal.conf pointed at
  the local gunicorn instances.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
NGINX = DEPLOY / "nginx"

_LINE = re.compile(r"^([A-Z][A-Z0-9_]*)=(.*)$")


def read_env_file(path: Path) -> dict[str, str]:
    """KEY=VALUE lines as systemd's EnvironmentFile= reads them (# comments, "quoted")."""
    values: dict[str, str] = {}
    for raw in path.read_text(encoding="utf-8").splitlines():
        match = _LINE.match(raw.strip())
        if match is None:
            continue
        name, value = match.groups()
        if len(value) >= 2 and value[0] == value[-1] == '"':
            value = value[1:-1]
        values[name] = value
    return values


def write_env_file(path: Path, values: Mapping[str, str]) -> None:
    """The stack's own /etc/portal/env (mode 0600: it holds keys)."""
    lines = ["# Written by the local stack (stack/); the variables of deploy/portal.env."]
    for name, value in values.items():
        if any(c in value for c in '"\n\\'):
            raise ValueError(f"{name}: a value the environment file cannot hold")
        lines.append(f'{name}="{value}"' if " " in value else f"{name}={value}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    path.chmod(0o600)


def deploy_env_names() -> list[str]:
    """The variables the production environment file sets."""
    return list(read_env_file(DEPLOY / "portal.env"))


def _localise(text: str, paths: Mapping[str, str]) -> str:
    """deploy/'s production paths → this stack's folders."""
    for production, local in paths.items():
        text = text.replace(production, local)
    return text


def upstream_block(servers: Sequence[int]) -> str:
    """deploy/nginx/portal.conf's upstream, its hosts replaced by loopback ports in order."""
    site = (NGINX / "portal.conf").read_text(encoding="utf-8")
    match = re.search(r"^upstream portal_app \{\n(.*?)^\}", site, re.S | re.M)
    if match is None:
        raise ValueError("deploy/nginx/portal.conf has no `upstream portal_app` block")
    lines = [line for line in match.group(1).splitlines() if line.strip().startswith("server ")]
    if len(lines) < len(servers):
        raise ValueError("deploy/nginx/portal.conf lists fewer app hosts than the stack runs")
    local = [
        re.sub(r"server \S+", f"server 127.0.0.1:{port}", line, count=1)
        for line, port in zip(lines, servers, strict=False)
    ]
    return "upstream portal_app {\n" + "\n".join(local) + "\n}\n"


def nginx_conf(
    folder: Path,
    port: int,
    app_ports: Sequence[int],
    *,
    user: str | None,
    extra_locations: str = "",
) -> Path:
    """Write the stack's nginx.conf (and its two includes) into `folder`; returns its path."""
    for sub in ("cache", "logs", "tmp"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    paths = {
        "/var/cache/nginx/portal": str(folder / "cache"),
        "/var/log/nginx/portal": str(folder / "logs" / "portal"),
        "/srv/portal/": f"{ROOT}/",
    }
    for name in ("portal-http.conf", "portal-locations.conf"):
        text = (NGINX / name).read_text(encoding="utf-8")
        (folder / name).write_text(_localise(text, paths), encoding="utf-8")
    tmp = folder / "tmp"
    conf = folder / "nginx.conf"
    conf.write_text(
        f"""# The local stack's nginx (stack/config.py): deploy/nginx/ on loopback.
daemon off;
worker_processes 2;
pid {folder / "nginx.pid"};
error_log {folder / "logs" / "error.log"} warn;
{f"user {user};" if user else ""}
events {{ worker_connections 1024; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    # As Debian's /etc/nginx/nginx.conf, which the production site is included from.
    sendfile on;
    tcp_nopush on;
    client_body_temp_path {tmp / "body"};
    proxy_temp_path {tmp / "proxy"};
    fastcgi_temp_path {tmp / "fastcgi"};
    uwsgi_temp_path {tmp / "uwsgi"};
    scgi_temp_path {tmp / "scgi"};
    include {folder / "portal-http.conf"};
{upstream_block(app_ports)}
    server {{
        listen 127.0.0.1:{port};
        server_name 127.0.0.1;
{extra_locations}
        include {folder / "portal-locations.conf"};
    }}
}}
""",
        encoding="utf-8",
    )
    return conf
