"""MISP ``passport`` objects and document records, both ways.

Mapped relations: passport-number, passport-country (a country name or code, resolved to ISO
3166-1 alpha-2), passport-expiration (or expiration-date), and two relations Passerelle adds
when it writes a document that is not a valid passport: document-type and document-status.
The holder is the person record of the same event that the passport is linked to by an object
reference, in either direction. Other attributes (issue date, names printed in the passport...)
are kept in the record's extras.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Final

from passerelle.domain.records import Document, DocumentStatus, DocumentType, Record
from passerelle.errors import InvalidMisp
from passerelle.interop.misp.countries import country_code, country_name
from passerelle.interop.misp.mapped_objects import ObjectReading, Relation, Template


def _text(value: str, field: str) -> str | None:
    del field
    return value.strip() or None


def _same(value: Any) -> str:
    return str(value)


def _country(value: str, field: str) -> str:
    code = country_code(value, field)
    if code is None:
        raise InvalidMisp(f"{value!r} is not a country Passerelle knows", field=field)
    return code


def _date(value: str, field: str) -> dt.date:
    text = value.strip()
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        raise InvalidMisp(f"{value!r} is not a date (YYYY-MM-DD)", field=field) from None


def _type(value: str, field: str) -> DocumentType | None:
    del field
    return next((t for t in DocumentType if t.value == value.strip()), None)


def _status(value: str, field: str) -> DocumentStatus | None:
    del field
    return next((s for s in DocumentStatus if s.value == value.strip()), None)


def _value(member: DocumentType | DocumentStatus) -> str:
    return str(member.value)


PASSPORT: Final = Template(
    name="passport", meta_category="misc",
    description="A passport or another travel or identity document (Passerelle).",
    relations=(
        Relation("passport-number", "number", "passport-number", "Person", _text, _same),
        Relation("passport-country", "issuing_country", "passport-country", "Person",
                 _country, country_name),
        Relation("passport-expiration", "expiry_date", "passport-expiration", "Person",
                 _date, _same),
        Relation("expiration-date", "expiry_date", "date", "Other", _date, _same),
        Relation("document-type", "document_type", "text", "Other", _type, _value),
        Relation("document-status", "status", "text", "Other", _status, _value),
    ),
)


def document_from(reading: ObjectReading, holder: str | None, path: str) -> Document:
    """The document the mapped attributes describe."""
    for name, relation in (("number", "passport-number"), ("issuing_country",
                                                           "passport-country")):
        if not reading.pieces.get(name):
            raise InvalidMisp(f"a passport needs a {relation} attribute", field=path)
    return Document(
        document_type=reading.first("document_type", DocumentType.PASSPORT),
        number=reading.first("number"),
        issuing_country=reading.first("issuing_country"),
        status=reading.first("status", DocumentStatus.VALID),
        holder=holder,
        expiry_date=reading.first("expiry_date"),
    )


def document_pieces(record: Record) -> dict[str, list[Any]]:
    """The pieces of a document record, per field, as the template writes them."""
    document = record.details
    assert isinstance(document, Document)
    return {
        "number": [document.number],
        "issuing_country": [document.issuing_country],
        "expiry_date": [document.expiry_date] if document.expiry_date else [],
        "document_type": [] if document.document_type is DocumentType.PASSPORT
        else [document.document_type],
        "status": [] if document.status is DocumentStatus.VALID else [document.status],
    }


DOCUMENT_FIELDS: Final = {"number": "", "issuing_country": "", "holder": ""}
"""Domain fields of a document whose errors are reported on the object as a whole."""
