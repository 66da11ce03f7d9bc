"""Countries as MISP objects write them (names, nationality adjectives, codes) and as
Passerelle records them (ISO 3166-1 alpha-2)."""

from __future__ import annotations

import pycountry

from passerelle.matching.countries import resolve_country


def country_code(text: str, field: str) -> str | None:
    """The ISO 3166-1 alpha-2 code of a country name, adjective or code; None if unknown.

    A relation reader (value, field): an unknown country is not an error everywhere (a
    nationality that does not resolve is kept as written), so ``field`` is not used here."""
    del field
    return resolve_country(text)


def country_name(code: str) -> str:
    """The English short name of a country, as MISP objects usually write it."""
    country = pycountry.countries.get(alpha_2=code)
    return str(country.name) if country is not None else code
