"""`python -m stack [--keep]` (`make stack`): start the stack, wait for Ctrl-C, stop it."""

from __future__ import annotations

import argparse
import signal
import threading

from stack.local import LocalStack


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m stack", description=__doc__)
    parser.add_argument("--keep", action="store_true", help="keep the folder (logs, mail)")
    args = parser.parse_args(argv)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    print("starting the stack (PostgreSQL, Redis, clamd, SMTP, 2 × gunicorn, nginx, mail) …")
    with LocalStack(keep=args.keep) as stack:
        print(f"  site:        {stack.url('/')}")
        print(f"  app hosts:   {', '.join(f'127.0.0.1:{p}' for p in stack.ports.apps)}")
        print(f"  database:    {stack.database_url}")
        print(f"  mail sent:   {stack.mail_dir}")
        print(f"  logs:        {stack.folder / 'logs'}, {stack.access_log}")
        print(f"  environment: {stack.env_file}")
        print("Ctrl-C stops it.", flush=True)
        while not stop.wait(1.0):
            pass
        print("stopping …", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
