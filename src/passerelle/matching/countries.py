"""Countries as lists write them: ISO 3166-1 codes or names in English, French or Spanish.

``resolve_country("Maroc") == resolve_country("Marruecos") == resolve_country("MAR") == "MA"``.
Names come from the ISO 3166 tables of the ``pycountry`` package (the Debian iso-codes data,
LGPL-2.1) with their French and Spanish translations, plus the usual short names and the
nationality adjectives of the partner countries and their neighbours, which the translations
lack. Unknown text resolves to None and is then compared as folded text.
"""

from __future__ import annotations

import gettext
from functools import cache, lru_cache

import pycountry

from passerelle.matching.text import fold

_EXTRA = {
    "DZ": ("argelia", "algerien", "algerienne", "algerian", "argelino", "argelina"),
    "MA": ("marocain", "marocaine", "moroccan", "marroqui"),
    "TN": ("tunisien", "tunisienne", "tunisian", "tunecino", "tunecina"),
    "FR": ("francais", "francaise", "french", "frances", "francesa"),
    "ES": ("espagnol", "espagnole", "spanish", "espanol", "espanola"),
    "BE": ("belge", "belgian", "belga", "belgie", "belgien"),
    "NL": ("holland", "netherlands", "neerlandais", "dutch", "holandes", "nederland"),
    "DE": ("allemand", "allemande", "german", "aleman", "alemana", "deutschland"),
    "GB": ("united kingdom", "uk", "great britain", "britain", "royaume uni", "reino unido"),
    "US": ("united states", "usa", "etats unis", "estados unidos"),
    "SY": ("syria", "syrie", "siria"),
    "IQ": ("irak",),
    "RU": ("russia", "russie", "rusia"),
    "TR": ("turkey", "turquie", "turquia", "turkiye"),
    "LY": ("libya", "libye", "libia"),
    "EG": ("egypt", "egypte", "egipto"),
}


@cache
def _table() -> dict[str, str]:
    table: dict[str, str] = {}
    translations = [
        gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang], fallback=True)
        for lang in ("fr", "es")
    ]
    for country in pycountry.countries:
        code = country.alpha_2
        names = {country.name, getattr(country, "official_name", ""),
                 getattr(country, "common_name", "")}
        for name in list(names):
            if name:
                names.update(t.gettext(name) for t in translations)
        for name in names:
            if name:
                table.setdefault(fold(name), code)
        table[code.casefold()] = code
        table[country.alpha_3.casefold()] = code
    for code, extra in _EXTRA.items():
        for name in extra:
            table[fold(name)] = code
    return table


def resolve_country(text: str) -> str | None:
    """The ISO 3166-1 alpha-2 code a code or name stands for, or None if unknown."""
    key = fold(text)
    if not key:
        return None
    return _table().get(key)


@lru_cache(maxsize=4096)
def country_key(text: str) -> str:
    """The comparable form of a country: its alpha-2 code, else the folded text."""
    return resolve_country(text) or fold(text)
