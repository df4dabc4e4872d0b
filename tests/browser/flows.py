"""Helpers shared by the browser tests: axe-core, valid answers, filling the two forms."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, timedelta
from io import BytesIO
from typing import Any

from axe_playwright_python.sync_playwright import Axe
from pypdf import PdfWriter

LANGS = ("pl", "en", "uk")
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}
PHONE_WIDTH = 360
PHONE = {"viewport": {"width": PHONE_WIDTH, "height": 740}, "is_mobile": True, "has_touch": True}

TOMICE_POSTAL_CODE = "34-100"  # content/tomice/centre.yml
GOSTYNIN_POSTAL_CODE = "09-500"  # content/gostynin/centre.yml
REFERENCE_RE = re.compile(r"\b([A-Z]{3}-\d{4}-[0-9A-Z]{5})\b")
TOMICE_REFERENCE_RE = re.compile(r"TOM-20\d\d-[0-9A-Z]{5}")  # e.g. TOM-2026-7K4Q9
GOSTYNIN_REFERENCE_RE = re.compile(r"GOS-20\d\d-[0-9A-Z]{5}")

_axe = Axe()


def prefix(lang: str) -> str:
    """The URL prefix of a language: none for Polish, /en or /uk otherwise."""
    return "" if lang == "pl" else f"/{lang}"


# --- axe-core ---------------------------------------------------------------------------


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """WCAG 2.0/2.1 A and AA violations axe-core finds on the page as it is now."""
    violations: list[dict[str, Any]] = _axe.run(page, options=AXE_OPTIONS).response["violations"]
    return violations


def describe_violations(violations: list[dict[str, Any]]) -> str:
    """A readable report: rule, impact, help URL, then each element and what is wrong."""
    lines = []
    for v in violations:
        lines.append(f"- {v['id']} ({v.get('impact')}): {v['help']}\n  {v.get('helpUrl', '')}")
        for node in v["nodes"][:8]:
            target = " ".join(str(t) for t in node["target"])
            summary = " ".join((node.get("failureSummary") or "").split())
            lines.append(f"    at {target}\n      {node['html'][:200]}\n      {summary[:300]}")
        if len(v["nodes"]) > 8:
            lines.append(f"    … and {len(v['nodes']) - 8} more elements")
    return "\n".join(lines)


def assert_accessible(page: Any, what: str) -> None:
    """Zero axe-core violations (WCAG 2.1 A and AA) on the current page."""
    violations = axe_violations(page)
    assert not violations, (
        f"axe-core: {len(violations)} WCAG violation(s) on {what} ({page.url}):\n"
        + describe_violations(violations)
    )


def scroll_width(page: Any) -> int:
    width: int = page.evaluate("document.documentElement.scrollWidth")
    return width


def assert_no_sideways_scroll(page: Any, what: str, width: int = PHONE_WIDTH) -> None:
    """The page fits the viewport's width; on failure, name the elements that stick out."""
    actual = scroll_width(page)
    if actual <= width:
        return
    wide = page.evaluate(
        """(width) => Array.from(document.querySelectorAll('body *'))
            .filter(el => el.getBoundingClientRect().right > width + 0.5)
            .filter(el => el.getClientRects().length > 0)
            .slice(0, 10)
            .map(el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
                 + (el.className && typeof el.className === 'string'
                    ? '.' + el.className.trim().split(/\\s+/).join('.') : '')
                 + ' right=' + Math.round(el.getBoundingClientRect().right))""",
        width,
    )
    raise AssertionError(
        f"{what} ({page.url}) scrolls sideways at {width} px: scrollWidth={actual}; "
        f"wider elements: {wide}"
    )


# --- answers ------------------------------------------------------------------------------


def valid_pesel(born: date, serial: str = "0124") -> str:
    """A PESEL with a correct checksum for a birth date (even 10th digit: a woman)."""
    month = born.month + {1800: 80, 1900: 0, 2000: 20, 2100: 40, 2200: 60}[born.year // 100 * 100]
    digits = f"{born.year % 100:02d}{month:02d}{born.day:02d}{serial}"
    weights = (1, 3, 7, 9, 1, 3, 7, 9, 1, 3)
    check = (10 - sum(w * int(d) for w, d in zip(weights, digits, strict=True)) % 10) % 10
    return digits + str(check)


def due_date() -> date:
    """An expected date of birth about four months from now (the rule allows ten)."""
    return date.today() + timedelta(days=120)


def certificate_pdf() -> bytes:
    """A small valid PDF standing in for a medical certificate."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def certificate_file() -> dict[str, Any]:
    """The PDF as Playwright's `set_input_files` payload (no file on disk needed)."""
    return {"name": "zaświadczenie.pdf", "mimeType": "application/pdf", "buffer": certificate_pdf()}


# --- filling the forms with Playwright's helpers (the keyboard tests do it by hand) -------


def fill_parent_form(
    page: Any, postal_code: str = TOMICE_POSTAL_CODE, *, urgent: bool = False
) -> None:
    """Valid answers to the parent's request (the page shows the empty or returned form)."""
    page.check("#f-child_in_danger-2" if urgent else "#f-child_in_danger")  # yes / no
    page.fill("#f-full_name", "Anna Kowalska")
    page.fill("#f-phone", "600 123 456")
    page.check("#f-best_time-2")
    page.fill("#f-street", "ul. Polna 3")
    page.fill("#f-postal_code", postal_code)
    page.fill("#f-city", "Tomice")
    page.fill("#f-children_count", "2")
    page.fill("#f-children_ages", "3 i 7 lat")
    page.check("#f-difficulties")
    page.check("#f-difficulties-3")
    page.fill("#f-description", "Potrzebuję pomocy w organizacji dnia.")


def fill_za_zyciem_form(page: Any) -> None:
    """Valid answers to the "Za życiem" application: pregnant, with a PESEL, one PDF."""
    page.check("#f-applicant")  # pregnant
    page.fill("#f-full_name", "Maria Nowak")
    page.check("#f-has_pesel")  # yes
    page.fill("#f-pesel", valid_pesel(date(1994, 5, 15)))
    page.fill("#f-phone", "+48 601 234 567")
    page.fill("#f-street", "ul. Parkowa 1")
    page.fill("#f-postal_code", GOSTYNIN_POSTAL_CODE)
    page.fill("#f-city", "Gostynin")
    page.fill("#f-due_date", due_date().isoformat())
    page.set_input_files("#f-certificates", certificate_file())
    page.check("#f-truthful")


def form_steps(page: Any, lang: str, form: str) -> Iterator[str]:
    """Walk one form from empty to the status page; yields a label at each page to check.

    The parent's request is answered "a child is in danger" with another centre's
    postal code, so the emergency notice, the urgent warning and the "another centre"
    notice are on the pages too. "Za życiem" also shows its conditional questions
    with their errors.
    """
    if form == "zgloszenie":
        page.goto(f"{prefix(lang)}/tomice/zgloszenie")
    else:
        page.goto(f"{prefix(lang)}/gostynin/za-zyciem/wniosek")
    yield "the empty form"
    press_step(page, "check")
    yield "the form after an empty submit (errors)"
    if form == "zgloszenie":
        fill_parent_form(page, GOSTYNIN_POSTAL_CODE, urgent=True)
        yield "the form with the emergency notice shown"
    else:
        page.check("#f-applicant-2")  # a child's family: the child's birth date
        page.check("#f-has_pesel-2")  # no PESEL: a date of birth instead
        press_step(page, "check")
        yield "the form with errors in its conditional questions"
        fill_za_zyciem_form(page)
    press_step(page, "check")
    assert page.locator("button[name=step][value=submit]").count() == 1, (
        f"not on the check page: {page.locator('main').inner_text()[:500]}"
    )
    yield "the check-your-answers page"
    press_step(page, "submit")
    assert "/wyslano/" in page.url
    reference_on(page)
    yield "the confirmation page"
    page.goto(page.locator("main a[href*='/status/']").get_attribute("href"))
    yield "the status page"


def press_step(page: Any, step: str) -> None:
    """Send the form with the button of a step (check, submit, edit) and wait for the page."""
    with page.expect_navigation():
        page.locator(f"button[name=step][value={step}]").last.click()


def reference_on(page: Any) -> str:
    """The reference number the confirmation page shows."""
    text = page.locator(".reference").inner_text()
    match = REFERENCE_RE.search(text)
    assert match, f"no reference number on {page.url}: {text!r}"
    return match.group(1)


# --- keyboard -----------------------------------------------------------------------------


def focused(page: Any) -> dict[str, Any]:
    """What has the focus: tag, id, name, value, type, text."""
    info: dict[str, Any] = page.evaluate(
        """() => { const el = document.activeElement;
            return el ? {tag: el.tagName.toLowerCase(), id: el.id, name: el.getAttribute('name'),
                         value: el.value, type: el.getAttribute('type'),
                         text: (el.innerText || '').trim().slice(0, 80),
                         href: el.getAttribute('href')} : {}; }"""
    )
    return info


def focus_matches(page: Any, selector: str) -> bool:
    matches: bool = page.evaluate(
        "(sel) => !!document.activeElement && document.activeElement.matches(sel)", selector
    )
    return matches


def tab_to(page: Any, selector: str, *, backwards: bool = False, limit: int = 60) -> int:
    """Press Tab (or Shift+Tab) until the focused element matches; returns the presses."""
    key = "Shift+Tab" if backwards else "Tab"
    for presses in range(1, limit + 1):
        page.keyboard.press(key)
        if focus_matches(page, selector):
            return presses
    raise AssertionError(
        f"{selector} not reached with {limit} × {key}; focus is on {focused(page)} ({page.url})"
    )
