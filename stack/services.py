"""How each piece of the stack is started: the Debian programs and the portal's own."""

from __future__ import annotations

import glob
import hashlib
import os
import pwd
import shutil
import subprocess
import sys
from pathlib import Path

from stack.config import DEPLOY, ROOT
from stack.procs import HOST, Proc, StackError, http_status, port_open

# The anti-virus test string, in two halves so that this file is not itself flagged.
EICAR = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$" + b"EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
EICAR_NAME = "Eicar-Test-Signature"


def is_root() -> bool:
    return os.geteuid() == 0


def program(name: str, *candidates: str) -> str:
    """The path of a system program, or a StackError saying which package to install."""
    found = shutil.which(name) or next((c for c in candidates if os.access(c, os.X_OK)), None)
    if found is None:
        raise StackError(f"{name} not found: install it (see .ci/run)")
    return found


def venv_program(name: str) -> str:
    return str(Path(sys.executable).with_name(name))


# --- PostgreSQL -----------------------------------------------------------------


def _pg_bin() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(p.split("/")[4]))
    if not found:
        raise StackError("PostgreSQL not found: install postgresql (see .ci/run)")
    return Path(found[-1])


def _as_postgres(argv: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root: as root, run it as the `postgres` user."""
    if not is_root():
        return argv
    return ["setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups", *argv]


def postgres(folder: Path, port: int) -> Proc:
    """A private cluster (user `portal`, no password, loopback only), database `portal`."""
    data = folder / "pgdata"
    data.mkdir(parents=True)
    if is_root():
        user = pwd.getpwnam("postgres")
        os.chown(data, user.pw_uid, user.pw_gid)
    pg = _pg_bin()
    subprocess.run(
        _as_postgres(
            [
                str(pg / "initdb"),
                "-D",
                str(data),
                "-A",
                "trust",
                "-U",
                "portal",
                "-E",
                "UTF8",
                "--no-instructions",
            ]
        ),
        check=True,
        stdout=subprocess.DEVNULL,
    )
    proc = Proc(
        "postgresql",
        _as_postgres(
            [
                str(pg / "postgres"),
                "-D",
                str(data),
                "-p",
                str(port),
                "-k",
                str(data),
                "-c",
                f"listen_addresses={HOST}",
                "-c",
                "fsync=off",
                "-c",
                "max_connections=100",
            ]
        ),
        folder / "logs" / "postgresql.log",
    ).start()
    ready = [str(pg / "pg_isready"), "-q", "-h", HOST, "-p", str(port), "-U", "portal"]
    proc.wait_ready(lambda: subprocess.run(ready, check=False).returncode == 0)
    subprocess.run(
        [str(pg / "createdb"), "-h", HOST, "-p", str(port), "-U", "portal", "portal"], check=True
    )
    return proc


# --- Redis, clamd, SMTP -----------------------------------------------------------


def redis(folder: Path, port: int) -> Proc:
    """Rate limits: nothing saved to disk, loopback only."""
    data = folder / "redis"
    data.mkdir(parents=True)
    proc = Proc(
        "redis",
        [
            program("redis-server"),
            "--port",
            str(port),
            "--bind",
            HOST,
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(data),
            "--protected-mode",
            "yes",
        ],
        folder / "logs" / "redis.log",
    ).start()
    proc.wait_ready(lambda: port_open(port))
    return proc


def clamd(folder: Path) -> tuple[Proc, str]:
    """clamd with signatures for the EICAR test file only (written here; nothing downloaded)."""
    from portal.uploads.clamd import ping

    root = folder / "clamd"
    db = root / "db"
    db.mkdir(parents=True)
    md5 = hashlib.md5(EICAR, usedforsecurity=False).hexdigest()  # the .hdb format is MD5
    (db / "eicar.hdb").write_text(f"{md5}:{len(EICAR)}:{EICAR_NAME}\n")
    # A body signature too, so EICAR inside a valid PDF or image is found.
    (db / "eicar.ndb").write_text(f"{EICAR_NAME}-Body:0:*:{EICAR.hex()}\n")
    sock = root / "clamd.sock"
    conf = root / "clamd.conf"
    conf.write_text(
        f"LocalSocket {sock}\nDatabaseDirectory {db}\nLogFile {root / 'clamd.log'}\n"
        f"PidFile {root / 'clamd.pid'}\nForeground yes\nStreamMaxLength 40M\n"
    )
    proc = Proc(
        "clamd",
        [program("clamd", "/usr/sbin/clamd"), f"--config-file={conf}"],
        folder / "logs" / "clamd.out",
    ).start()
    proc.wait_ready(lambda: sock.exists() and ping(str(sock), timeout=1.0))
    return proc, str(sock)


def smtp_sink(folder: Path, port: int) -> Proc:
    """The local SMTP server the mail worker sends to (stack/smtp_sink.py)."""
    proc = Proc(
        "smtp",
        [sys.executable, "-m", "stack.smtp_sink", str(port), str(folder / "mail")],
        folder / "logs" / "smtp.log",
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        cwd=ROOT,
    ).start()
    proc.wait_ready(lambda: port_open(port))
    return proc


# --- nginx ------------------------------------------------------------------------


def nginx_user(folder: Path) -> str | None:
    """As root, nginx's workers run as `nobody`: give them the folders they write."""
    if not is_root():
        return None
    nobody = pwd.getpwnam("nobody")
    for sub in ("cache", "tmp"):
        path = folder / sub
        path.mkdir(parents=True, exist_ok=True)
        os.chown(path, nobody.pw_uid, nobody.pw_gid)
    return "nobody nogroup"


def nginx(folder: Path, conf: Path, port: int) -> Proc:
    binary = program("nginx", "/usr/sbin/nginx")
    base = [binary, "-p", str(folder), "-c", str(conf), "-e", str(folder / "logs" / "error.log")]
    checked = subprocess.run([*base, "-t", "-q"], capture_output=True, text=True, check=False)
    if checked.returncode != 0:
        raise StackError(f"nginx -t failed for {conf}:\n{checked.stderr}")
    proc = Proc("nginx", base, folder / "logs" / "nginx.out").start()
    proc.wait_ready(lambda: port_open(port))
    return proc


# --- the portal -------------------------------------------------------------------


def gunicorn(name: str, port: int, env: dict[str, str], log: Path) -> Proc:
    """One app host: gunicorn with deploy/gunicorn.conf.py, on loopback, 2 workers."""
    proc = Proc(
        name,
        [
            venv_program("gunicorn"),
            "--config",
            str(DEPLOY / "gunicorn.conf.py"),
            "--bind",
            f"{HOST}:{port}",
            "--workers",
            "2",
            "--no-control-socket",
            "portal:create_app()",
        ],
        log,
        env=env,
        cwd=ROOT,
    ).start()

    def healthy() -> bool:
        try:
            return http_status(port, "/healthz") == 200
        except OSError:
            return False

    proc.wait_ready(healthy)
    return proc


def flask_command(args: list[str], env: dict[str, str]) -> str:
    """Run one `flask --app portal …` command with the stack's environment; its output."""
    done = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "portal", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    if done.returncode != 0:
        raise StackError(f"flask {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def mail_worker(name: str, env: dict[str, str], log: Path) -> Proc:
    """`flask --app portal send-outbox --watch`, as deploy/systemd/portal-mail.service."""
    proc = Proc(
        name,
        [sys.executable, "-m", "flask", "--app", "portal", "send-outbox", "--watch"],
        log,
        env=env,
        cwd=ROOT,
    ).start()
    proc.wait_ready(lambda: log.exists() and "watching the outbox" in log.read_text())
    return proc
