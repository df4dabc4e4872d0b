"""Finished public pages, kept with their ETag until a file they are made from changes.

A content page is the same for every visitor of one host and language, so it is
rendered once; a conditional GET is then answered from the stored ETag without
rendering anything.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass


@dataclass(frozen=True)
class Rendered:
    """A finished page and the validator a client may send back."""

    signature: Hashable
    body: bytes
    etag: str


def finish(signature: Hashable, body: str) -> Rendered:
    """A rendered page with its ETag (a hash of exactly the bytes sent)."""
    data = body.encode()
    return Rendered(signature, data, hashlib.blake2b(data, digest_size=16).hexdigest())


class RenderedPages:
    """A bounded, thread-safe map from a page's key to its latest rendering."""

    # About 7 KB a page: 512 pages keep a worker's share under 4 MB.
    def __init__(self, max_entries: int = 512) -> None:
        self.max_entries = max_entries
        self._entries: OrderedDict[Hashable, Rendered] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, signature: Hashable) -> Rendered | None:
        """The stored page, if it was made from files exactly as they are now."""
        with self._lock:
            found = self._entries.get(key)
            if found is None or found.signature != signature:
                return None
            self._entries.move_to_end(key)
            return found

    def put(self, key: Hashable, signature: Hashable, body: str) -> Rendered:
        """Store a freshly rendered page; the least recently used one goes when full."""
        rendered = finish(signature, body)
        with self._lock:
            self._entries[key] = rendered
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)
        return rendered
