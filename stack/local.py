"""The production stack of docs/deploy.md on one machine, on loopback only.

nginx (deploy/nginx/) in front of two gunicorn instances of the portal
(deploy/gunicorn.conf.py) on one PostgreSQL; Redis for rate limits; clamd; two
mail workers (`send-outbox --watch`, as deploy/systemd/portal-mail.service runs
on each app host) and a local SMTP server that keeps what it is sent. Everything
lives in one temporary folder and is stopped, by process id, when the stack stops.
"""

from __future__ import annotations

import secrets
import shutil
import signal
import socket
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType

from stack import services
from stack.config import ROOT, deploy_env_names, nginx_conf, write_env_file
from stack.procs import HOST, Proc, StackError, free_port

APPS = 2
MAIL_WORKERS = 2


@dataclass(frozen=True)
class Ports:
    nginx: int
    apps: tuple[int, ...]
    postgres: int
    redis: int
    smtp: int

    @property
    def site(self) -> str:
        return f"http://{HOST}:{self.nginx}"

    @property
    def database_url(self) -> str:
        return f"postgresql+psycopg://portal@{HOST}:{self.postgres}/portal"

    @classmethod
    def pick(cls) -> Ports:
        return cls(
            free_port(),
            tuple(free_port() for _ in range(APPS)),
            free_port(),
            free_port(),
            free_port(),
        )


# The stack's own values where production waits minutes: the tests see a cached page
# expire, a message retried and a login slowed in seconds.
QUICK = {
    "PORTAL_PAGE_MAX_AGE": "3",
    "PORTAL_MAIL_RETRY_SECONDS": "1",
    "PORTAL_MAIL_RETRY_MAX_SECONDS": "4",
    "PORTAL_MAIL_POLL_SECONDS": "0.5",
    "PORTAL_LOGIN_DELAY": "0.1",
}


def environment(ports: Ports, clamd_socket: str, content_dir: Path) -> dict[str, str]:
    """Every variable of deploy/portal.env, for this machine, then the quick timings."""
    from portal.core.crypto import Keyring

    values = {
        "PORTAL_ENV": "production",
        "PORTAL_DATABASE_URL": ports.database_url,
        "PORTAL_SECRET_KEY": secrets.token_urlsafe(48),
        "PORTAL_DATA_KEY": Keyring.generate_value("stack1"),
        "PORTAL_BASE_URL": ports.site,
        "PORTAL_TRUSTED_HOSTS": HOST,
        "PORTAL_PROXY_COUNT": "1",
        "PORTAL_RATELIMIT_STORAGE_URL": f"redis://{HOST}:{ports.redis}/0",
        "PORTAL_SMTP_URL": f"smtp://{HOST}:{ports.smtp}",
        "PORTAL_MAIL_FROM": "portal@stack.invalid",
        "PORTAL_CLAMD_SOCKET": clamd_socket,
        # Each instance gets its own --bind on the command line.
        "GUNICORN_CMD_ARGS": f"--forwarded-allow-ips={HOST}",
    }
    missing = set(deploy_env_names()) - set(values)
    if missing:
        raise StackError(f"the stack does not set {sorted(missing)}")
    return values | {"PORTAL_CONTENT_DIR": str(content_dir)} | QUICK


@dataclass
class LocalStack:
    """Start with `with LocalStack() as stack:` (or `start()` / `stop()`)."""

    keep: bool = False  # leave the folder (logs, mail) for a look afterwards
    folder: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="portal-stack-")))
    ports: Ports = field(default_factory=Ports.pick)
    procs: dict[str, Proc] = field(default_factory=dict)
    app_overrides: dict[str, str] = field(default_factory=dict)
    clamd_socket: str = ""

    # --- addresses and files ---

    def url(self, path: str = "/") -> str:
        return f"{self.ports.site}{path}"

    @property
    def database_url(self) -> str:
        return self.ports.database_url

    @property
    def content_dir(self) -> Path:
        return self.folder / "content"

    @property
    def mail_dir(self) -> Path:
        return self.folder / "mail"

    @property
    def env_file(self) -> Path:
        return self.folder / "portal.env"

    @property
    def access_log(self) -> Path:
        return self.folder / "nginx" / "logs" / "portal.access.log"

    def app_log(self, number: int) -> Path:
        return self.folder / "logs" / f"app{number}.log"

    # --- the environment file (/etc/portal/env) ---

    def env_values(self) -> dict[str, str]:
        return environment(self.ports, self.clamd_socket, self.content_dir)

    def process_env(self, **overrides: str) -> dict[str, str]:
        """What a unit with EnvironmentFile= sees: a clean environment plus the file."""
        from stack.config import read_env_file

        base = {
            "PATH": "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin",
            "HOME": str(self.folder),
            "LANG": "C.UTF-8",
            "PYTHONPATH": str(ROOT),
        }
        return base | read_env_file(self.env_file) | self.app_overrides | overrides

    # --- starting and stopping ---

    def start(self) -> LocalStack:
        try:
            self._start()
        except BaseException:
            self.stop()
            raise
        return self

    def _start(self) -> None:
        self.folder.chmod(0o755)  # PostgreSQL and nginx's workers run as other users
        (self.folder / "logs").mkdir(exist_ok=True)
        shutil.copytree(ROOT / "content", self.content_dir)
        self.procs["postgresql"] = services.postgres(self.folder, self.ports.postgres)
        self.procs["redis"] = services.redis(self.folder, self.ports.redis)
        self.procs["clamd"], self.clamd_socket = services.clamd(self.folder)
        self.procs["smtp"] = services.smtp_sink(self.folder, self.ports.smtp)
        write_env_file(self.env_file, self.env_values())
        services.flask_command(["init-db"], self.process_env())
        for number in range(APPS):
            self.start_app(number)
        self._start_nginx()
        for number in range(MAIL_WORKERS):
            name = f"mail{number}"
            log = self.folder / "logs" / f"{name}.log"
            self.procs[name] = services.mail_worker(name, self.process_env(), log)

    def _start_nginx(self) -> None:
        folder = self.folder / "nginx"
        folder.mkdir(exist_ok=True)
        user = services.nginx_user(folder)
        conf = nginx_conf(folder, self.ports.nginx, self.ports.apps, user=user)
        self.procs["nginx"] = services.nginx(folder, conf, self.ports.nginx)

    def start_app(self, number: int) -> Proc:
        """Start (or start again) app host `number` and wait for its /healthz."""
        name = f"app{number}"
        proc = services.gunicorn(
            name, self.ports.apps[number], self.process_env(), self.app_log(number)
        )
        self.procs[name] = proc
        return proc

    def kill_app(self, number: int) -> None:
        """SIGKILL app host `number` (master and workers at once): the host is lost."""
        self.procs[f"app{number}"].kill()

    def restart_apps(self, **overrides: str) -> None:
        """Every app host again, one after the other, with these settings on top of the file."""
        self.app_overrides = dict(overrides)
        for number in range(APPS):
            self.procs[f"app{number}"].stop()
            self.start_app(number)

    def stop_smtp(self) -> None:
        self.procs["smtp"].stop()

    def start_smtp(self) -> None:
        self.procs["smtp"] = services.smtp_sink(self.folder, self.ports.smtp)

    def flush_redis(self) -> None:
        """Forget every rate-limit counter (the stack's own Redis)."""
        with socket.create_connection((HOST, self.ports.redis), timeout=5) as conn:
            conn.sendall(b"FLUSHDB\r\n")
            if not conn.recv(64).startswith(b"+OK"):
                raise StackError("redis did not flush")

    def stop(self) -> None:
        """Stop everything started, the portal first, the database last."""
        order = [n for n in self.procs if n.startswith("mail")] + ["nginx"]
        order += [n for n in self.procs if n.startswith("app")]
        order += ["smtp", "clamd", "redis", "postgresql"]
        errors = []
        for name in order:
            proc = self.procs.pop(name, None)
            if proc is None:
                continue
            try:
                # PostgreSQL's fast shutdown is SIGINT; SIGTERM would wait for every client.
                proc.stop(signal.SIGINT if name == "postgresql" else signal.SIGTERM)
            except Exception as exc:  # keep stopping the others
                errors.append(f"{name}: {exc}")
        if not self.keep:
            shutil.rmtree(self.folder, ignore_errors=True)
        if errors:
            raise StackError("; ".join(errors))

    def __enter__(self) -> LocalStack:
        return self.start()

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()
