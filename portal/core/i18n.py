"""Languages: Polish without a URL prefix, English and Ukrainian under /en/ and /uk/.

Public views are registered once per language form with `localized_route`; the
language is taken out of the URL values into `g.lang` before the view runs and
put back by `url_for`, so templates never pass it by hand.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from flask import Blueprint, Flask, current_app, g, request, url_for
from flask_babel import get_locale

from portal.core.extensions import babel
from portal.core.settings import DEFAULT_LANGUAGE, LANGUAGES

PREFIXED = tuple(lang for lang in LANGUAGES if lang != DEFAULT_LANGUAGE)
LANG_RULE = "/<any({}):lang>".format(", ".join(PREFIXED))

# Shown in the language switcher, each in its own language.
LANGUAGE_NAMES = {"pl": "Polski", "en": "English", "uk": "Українська"}

View = Callable[..., Any]


def localized_route(bp: Blueprint, rule: str, **options: Any) -> Callable[[View], View]:
    """Register `rule` for Polish and `/<lang>rule` for the other languages."""

    def decorator(view: View) -> View:
        bp.add_url_rule(rule, view_func=view, defaults={"lang": DEFAULT_LANGUAGE}, **options)
        bp.add_url_rule(LANG_RULE + rule, view_func=view, **options)
        return view

    return decorator


def _pull_lang(endpoint: str | None, values: dict[str, Any] | None) -> None:
    if values and "lang" in values:
        g.lang = values.pop("lang")


def _push_lang(endpoint: str, values: dict[str, Any]) -> None:
    if "lang" in values:
        return
    if current_app.url_map.is_endpoint_expecting(endpoint, "lang"):
        values["lang"] = current_lang()


def lang_from_path(path: str) -> str:
    """The language a path is in, for pages no route matched (404s)."""
    first = path.lstrip("/").split("/", 1)[0]
    return first if first in PREFIXED else DEFAULT_LANGUAGE


def current_lang() -> str:
    """The language of the current request."""
    lang = g.get("lang")
    if lang:
        return str(lang)
    if request:
        return lang_from_path(request.path)
    return DEFAULT_LANGUAGE


def page_lang() -> str:
    """The language the page is being written in: Babel's locale (which follows the URL,
    the panel's choice and `force_locale` for mail), else the URL's language."""
    locale = get_locale()
    return str(locale.language) if locale is not None else current_lang()


def text_in(text: Mapping[str, str] | None, lang: str | None = None) -> str:
    """Text given in several languages (`{"pl": …, "en": …}`) in `lang`, by default the
    page's language; Polish when that language is missing. The one place for this rule."""
    if not text:
        return ""
    return text.get(lang or page_lang()) or text.get(DEFAULT_LANGUAGE, "")


def select_locale() -> str:
    """Babel's locale selector: the staff panel may pick a language, the rest follows the URL."""
    panel_lang = g.get("panel_lang")
    return str(panel_lang) if panel_lang else current_lang()


def alternate_urls() -> dict[str, str]:
    """This page in every language, for the switcher and `hreflang` links."""
    if not request.endpoint or request.url_rule is None:
        return {}
    if not request.url_rule.arguments or "lang" not in request.url_rule.arguments:
        return {}
    args = dict(request.view_args or {})
    return {lang: url_for(request.endpoint, **{**args, "lang": lang}) for lang in LANGUAGES}


def configure_i18n(app: Flask) -> None:
    """Babel, the language URL handling and the template helpers."""
    babel.init_app(app, locale_selector=select_locale)
    app.url_value_preprocessor(_pull_lang)
    app.url_defaults(_push_lang)
    # A filter, not a context variable: macros imported without context see it too.
    app.add_template_filter(text_in, "in_language")
    app.add_template_global(page_lang)

    @app.context_processor
    def inject_languages() -> dict[str, Any]:
        return {
            "current_lang": current_lang(),
            "alternate_urls": alternate_urls,
            "language_names": LANGUAGE_NAMES,
            "get_locale": get_locale,
        }
