"""A local SMTP server (aiosmtpd) that keeps every message it accepts as a file.

`python -m stack.smtp_sink PORT FOLDER`: listens on 127.0.0.1:PORT until SIGTERM;
each accepted message becomes FOLDER/<time>-<n>.eml (written whole, then renamed,
so a reader never sees half a message). Nothing is relayed anywhere.
"""

from __future__ import annotations

import itertools
import signal
import sys
import threading
import time
from pathlib import Path

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session


class Keeper:
    """The aiosmtpd handler: every message into the folder."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.numbers = itertools.count(1)

    # aiosmtpd calls the handler's methods by these names.
    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        name = f"{time.time_ns()}-{next(self.numbers)}.eml"
        part = self.folder / f".{name}.part"
        part.write_bytes(envelope.original_content or b"")
        part.rename(self.folder / name)
        return "250 OK"


def main(argv: list[str]) -> int:
    port, folder = int(argv[0]), Path(argv[1])
    folder.mkdir(parents=True, exist_ok=True)
    controller = Controller(Keeper(folder), hostname="127.0.0.1", port=port)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    controller.start()
    print(f"smtp sink on 127.0.0.1:{port}, messages in {folder}", flush=True)
    try:
        while not stop.wait(0.5):
            pass
    finally:
        controller.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
