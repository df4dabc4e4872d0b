"""The proxy's cache: public pages from it, a content change within its lifetime, and
nothing private in it, ever, with or without cookies."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from stack.local import QUICK, LocalStack
from tests.stack.client import Client
from tests.stack.flows import log_in, open_form, publish_in_editor, seed_staff, submit_parent

PUBLIC = ["/", "/en/", "/tomice/", "/uk/rozan/zadania-asystenta", "/gostynin/kontakt"]
MAX_AGE = float(QUICK["PORTAL_PAGE_MAX_AGE"])
RECHECK = 1.0  # PORTAL_CONTENT_RECHECK_SECONDS: how soon an app host sees a changed file
CACHED = {"HIT", "STALE", "UPDATING", "REVALIDATED"}  # answered (partly) from the cache


@pytest.mark.parametrize("path", PUBLIC)
def test_public_pages_come_from_the_cache_after_the_first_request(
    client: Client, path: str
) -> None:
    first = client.get(path)
    assert first.status == 200 and "set-cookie" not in first.headers
    again = client.get(path)
    assert again.headers["x-cache-status"] == "HIT"
    assert again.body == first.body and again.headers["etag"] == first.headers["etag"]


def test_a_visitor_with_a_session_gets_a_fresh_page(stack: LocalStack, client: Client) -> None:
    cached = client.get("/tomice/kontakt")
    open_form(client)  # the form sets the session cookie
    assert "portal_session" in client.cookies
    fresh = client.get("/tomice/kontakt")
    assert fresh.headers["x-cache-status"] == "BYPASS" and fresh.body == cached.body
    assert Client(stack.ports.nginx).get("/tomice/kontakt").headers["x-cache-status"] == "HIT"


def test_a_content_change_shows_within_the_cache_lifetime(
    stack: LocalStack, client: Client
) -> None:
    page = stack.content_dir / "redziny" / "index.pl.md"
    original = page.read_text(encoding="utf-8")
    client.get("/redziny/")
    assert client.get("/redziny/").headers["x-cache-status"] == "HIT"
    marker = f"Nowe godziny dyżuru {time.time_ns()}."
    try:
        page.write_text(f"{original}\n\n{marker}\n", encoding="utf-8")
        changed = time.monotonic()
        seen = None
        while time.monotonic() - changed < MAX_AGE + RECHECK + 5:
            if marker in client.get("/redziny/").text:
                seen = time.monotonic() - changed
                break
            time.sleep(0.2)
        assert seen is not None, "the change never showed"
        # The proxy's lifetime, the app's once-a-second look at the files, a request's time.
        assert seen <= MAX_AGE + RECHECK + 1.0
        after = client.get("/redziny/")
        assert marker in after.text and after.headers["x-cache-status"] == "HIT"
    finally:
        page.write_text(original, encoding="utf-8")


def test_a_page_published_in_the_editor_shows_within_the_cache_lifetime(
    stack: LocalStack, client: Client
) -> None:
    """Published on one app host, the page is revalidated through the proxy from either."""
    client.get("/rozan/kontakt")
    assert client.get("/rozan/kontakt").headers["x-cache-status"] == "HIT"
    manager = Client(stack.ports.nginx)
    log_in(manager, seed_staff(stack, "strony@rozan.example.org", "rozan", "manager"))
    marker = f"Dyżur telefoniczny także w soboty {time.time_ns()}."
    publish_in_editor(manager, "rozan", "kontakt", marker)
    published = time.monotonic()
    seen = None
    while time.monotonic() - published < MAX_AGE + RECHECK + 5:
        if marker in client.get("/rozan/kontakt").text:
            seen = time.monotonic() - published
            break
        time.sleep(0.2)
    assert seen is not None, "the published page never showed"
    # The proxy's lifetime, a second for every host to read the publication, a request.
    assert seen <= MAX_AGE + RECHECK + 1.0


def private_paths(stack: LocalStack) -> list[str]:
    """Every kind of private URL of DESIGN.md, with real tokens where there are any."""
    sent = submit_parent(Client(stack.ports.nginx))
    token = sent.status_link.rsplit("/", 1)[1]
    return [
        "/tomice/zgloszenie",
        "/en/tomice/zgloszenie",
        "/gostynin/za-zyciem/wniosek",
        "/uk/gostynin/za-zyciem/wniosek",
        "/tomice/zgloszenie/czy-to-dla-mnie",
        "/gostynin/za-zyciem/czy-to-dla-mnie",
        sent.confirmation,
        f"{sent.confirmation}/potwierdzenie.pdf",
        sent.status_link,
        f"/en/status/{token}",
        "/wznow/a-draft-token-that-is-not-there",
        "/panel/",
        "/panel/logowanie",
        "/panel/poczta",
        "/en/panel/",
        "/healthz",
    ]


def cached_keys(stack: LocalStack) -> dict[str, bytes]:
    """What the proxy holds: each cache file's key and its stored headers."""
    found = {}
    for path in Path(stack.folder / "nginx" / "cache").rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            key = re.search(rb"\nKEY: ([^\n]+)\n", data)
            if key:
                found[key.group(1).decode()] = data.split(b"\r\n\r\n", 1)[0]
    return found


def test_no_private_page_is_ever_served_from_the_cache(stack: LocalStack) -> None:
    paths = private_paths(stack)
    with_cookie = Client(stack.ports.nginx)
    open_form(with_cookie)
    for path in paths:
        for visitor in (Client(stack.ports.nginx), with_cookie, Client(stack.ports.nginx)):
            reply = visitor.get(path)
            assert reply.headers.get("x-cache-status") == "PRIVATE", (path, reply.headers)
            if reply.status == 200:
                assert "no-store" in reply.headers["cache-control"], path
    # Each cookieless GET of a form is a new filling: a new session and CSRF token.
    tokens = {Client(stack.ports.nginx).get("/tomice/zgloszenie").csrf() for _ in range(3)}
    assert len(tokens) == 3
    # And nothing of them is in the cache: only public pages, none with a cookie.
    keys = cached_keys(stack)
    assert keys, "the public pages above were cached"
    for key, head in keys.items():
        path = re.sub(r"^http://[^/]+", "", key)
        assert path.split("?")[0] not in paths, key
        assert not re.search(r"/(panel|status|wznow|healthz|zgloszenie|wniosek|wyslano)", path)
        assert b"Set-Cookie" not in head and b"no-store" not in head, key


def test_private_tokens_stay_out_of_the_logs(stack: LocalStack) -> None:
    sent = submit_parent(Client(stack.ports.nginx))
    client = Client(stack.ports.nginx)
    client.get(sent.status_link)
    client.get(sent.confirmation)
    tokens = [sent.status_link.rsplit("/", 1)[1], sent.confirmation.rsplit("/", 1)[1]]
    logs = [stack.access_log, *(stack.app_log(n) for n in range(2))]
    text = "".join(log.read_text(errors="replace") for log in logs)
    assert "/status/[token]" in text and "/wyslano/[token]" in text
    for token in tokens:
        assert token not in text


def test_static_files_come_from_nginx_under_versioned_names(
    stack: LocalStack, client: Client
) -> None:
    page = client.get("/tomice/").text
    addresses = re.findall(r'"(/static/portal\.(?:css|js)\?v=[0-9a-f]{12})"', page)
    assert len(addresses) == 2
    for address in addresses:
        served = client.get(address)
        assert served.status == 200
        assert served.headers["cache-control"] == "public, max-age=31536000, immutable"
        assert "content-security-policy" not in served.headers  # not from the app
    assert client.get("/static/portal.css").headers["cache-control"] == "public, max-age=3600"
    static_lines = [
        line for line in stack.access_log.read_text().splitlines() if '"GET /static/' in line
    ]
    assert static_lines and all("upstream=-" in line for line in static_lines)
