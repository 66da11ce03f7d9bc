"""The pages' languages: English (the catalogue's keys) and French.

Templates and page code write ``t("English text")``; French comes from ``catalogue_fr``. A text
missing from a catalogue shows in English, codes such as ``not_configured`` as words
(``tests/web/test_pages.py`` keeps the French catalogue complete). The language is the
``passerelle_lang`` cookie set by the switch in the page header, or else the browser's
``Accept-Language``.
"""

from __future__ import annotations

from collections.abc import Callable

from passerelle.web.catalogue_fr import FRENCH

COOKIE = "passerelle_lang"
LANGUAGES: dict[str, str] = {"en": "English", "fr": "Français"}
DEFAULT = "en"
CATALOGUES: dict[str, dict[str, str]] = {"en": {}, "fr": FRENCH}

Translate = Callable[..., str]


def choose(cookie: str | None, accept_language: str) -> str:
    """The cookie's language if known, else the first known one the browser accepts."""
    if cookie in LANGUAGES:
        return cookie
    for part in accept_language.split(","):
        code = part.split(";", 1)[0].strip().lower()[:2]
        if code in LANGUAGES:
            return code
    return DEFAULT


def _code_words(text: str) -> str:
    """An untranslated code (``not_configured``) as words (``not configured``)."""
    return text.replace("_", " ") if text.isidentifier() and text.islower() else text


def translator(lang: str) -> Translate:
    """``t(text, **values)``: ``text`` in ``lang``, with ``{name}`` placeholders filled."""
    catalogue = CATALOGUES.get(lang, {})

    def t(text: str, **values: object) -> str:
        translated = catalogue.get(text) or _code_words(text)
        return translated.format(**values) if values else translated
    return t
