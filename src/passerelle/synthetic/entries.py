"""Synthetic people as the matcher's entries, for screening benchmarks, tests and demos."""

from __future__ import annotations

from passerelle.matching.model import PersonEntry
from passerelle.synthetic.people import SyntheticPerson


def birth_date_text(person: SyntheticPerson) -> str:
    """The person's date of birth as ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``."""
    text = f"{person.birth_year:04d}"
    if person.birth_month is not None:
        text += f"-{person.birth_month:02d}"
        if person.birth_day is not None:
            text += f"-{person.birth_day:02d}"
    return text


def as_entry(person: SyntheticPerson, entry_id: str) -> PersonEntry:
    """The person as one list's entry: name (and original script), date, place, documents.

    A record written in Arabic script carries its name in ``full_name`` only, as a
    passenger list from such a record would.
    """
    name = person.name
    if name.spelling == "ar":
        full = f"{name.given} {name.family}"
        given = family = ""
        original = ""
    else:
        full = f"{name.given} {name.family}"
        given, family = name.given, name.family
        original = name.original_script or ""
    return PersonEntry(
        id=entry_id,
        full_name=full,
        given_name=given,
        family_name=family,
        name_original_script=original,
        aliases=person.aliases,
        date_of_birth=birth_date_text(person),
        place_of_birth=person.place_of_birth,
        nationalities=person.nationalities,
        document_number=person.document_number,
        document_country=person.document_country,
    )
