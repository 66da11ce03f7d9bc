"""MISP ``person`` objects and person records, both ways.

The mapped relations are those of the MISP object template ``person``: first-name, last-name,
alias, date-of-birth, place-of-birth, nationality, gender and role. Every other attribute
(middle-name, passport-number, phone-number, portrait...) is kept in the record's extras and
given back on export. MISP does not record the data-subject category the Law Enforcement
Directive requires (Art. 6) except through ``role``: ``Suspect``, ``Victim`` and ``Witness``
give those categories; any other role, or none, gives ``other`` for an officer to classify.
"""

from __future__ import annotations

from typing import Any, Final

from passerelle.domain.dates import PartialDate
from passerelle.domain.records import Person, Record, SubjectCategory
from passerelle.errors import InvalidDate, InvalidMisp
from passerelle.interop.misp.countries import country_code, country_name
from passerelle.interop.misp.mapped_objects import ObjectReading, Relation, Template

_SEX: Final = {"male": "M", "female": "F", "other": "X"}
_GENDER: Final = {"M": "Male", "F": "Female", "X": "Other"}
_ROLES: Final = {"suspect": SubjectCategory.SUSPECT, "victim": SubjectCategory.VICTIM,
                 "witness": SubjectCategory.WITNESS}


def _name(value: str, field: str) -> str | None:
    del field
    return value if value.strip() else None


def _same(value: Any) -> str:
    return str(value)


def _date_of_birth(value: str, field: str) -> PartialDate:
    try:
        return PartialDate.parse(value.strip()[:10], field)
    except InvalidDate as error:
        raise InvalidMisp(error.detail, field=field) from None


def _sex(value: str, field: str) -> str | None:
    del field
    return _SEX.get(value.strip().lower())


def _role(value: str, field: str) -> SubjectCategory | None:
    del field
    return _ROLES.get(value.strip().lower())


def _role_name(category: SubjectCategory) -> str:
    return category.value.capitalize()


PERSON: Final = Template(
    name="person", meta_category="misc",
    description="An object which describes a person or an identity.",
    template_uuid="a15b0477-e9d1-4b9c-9546-abe78a4f4248", template_version="8",
    relations=(
        Relation("first-name", "given_names", "first-name", "Person", _name, _same),
        Relation("last-name", "family_name", "last-name", "Person", _name, _same),
        Relation("alias", "aliases", "text", "Other", _name, _same, multiple=True),
        Relation("date-of-birth", "date_of_birth", "date-of-birth", "Person",
                 _date_of_birth, _same),
        Relation("place-of-birth", "place_of_birth", "place-of-birth", "Person", _name, _same),
        Relation("nationality", "nationalities", "nationality", "Person", country_code,
                 country_name, multiple=True),
        Relation("gender", "sex", "gender", "Person", _sex, _GENDER.__getitem__),
        Relation("role", "subject_category", "text", "Other", _role, _role_name),
    ),
)
"""The MISP object template ``person`` (version 8, uuid a15b0477-...), mapped relations."""


def person_from(reading: ObjectReading) -> Person:
    """The person the mapped attributes describe.

    A person known only by aliases (the template allows it; Passerelle needs a name to match
    on) has them recorded as its names as written (``names_original_script``)."""
    given, family = reading.first("given_names", ""), reading.first("family_name", "")
    aliases = reading.all("aliases")
    return Person(
        subject_category=reading.first("subject_category", SubjectCategory.OTHER),
        given_names=given,
        family_name=family,
        aliases=aliases if given or family else (),
        names_original_script=() if given or family else aliases,
        date_of_birth=reading.first("date_of_birth"),
        place_of_birth=reading.first("place_of_birth", ""),
        nationalities=reading.all("nationalities"),
        sex=reading.first("sex", ""),
    )


def person_pieces(record: Record) -> dict[str, list[Any]]:
    """The pieces of a person record, per field, as the template writes them.

    Names in their original script are written as aliases: the MISP template has no place of
    their own for them."""
    person = record.details
    assert isinstance(person, Person)
    pieces: dict[str, list[Any]] = {
        "given_names": [person.given_names] if person.given_names.strip() else [],
        "family_name": [person.family_name] if person.family_name.strip() else [],
        "aliases": [name for name in (*person.aliases, *person.names_original_script)
                    if name.strip()],
        "date_of_birth": [person.date_of_birth] if person.date_of_birth else [],
        "place_of_birth": [person.place_of_birth] if person.place_of_birth else [],
        "nationalities": list(person.nationalities),
        "sex": [person.sex] if person.sex else [],
        "subject_category": [person.subject_category]
        if person.subject_category in _ROLES.values() else [],
    }
    return pieces
