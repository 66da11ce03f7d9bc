"""What a record is found by: the keys every repository (SQL or in-memory) indexes and queries.

Keeping this in one place is what makes the fake and the databases agree: a record is indexed
under the keys below, and a query is reduced with the very same functions, so a name written
"Al-Hassan" is found by "al hassan", "AL HASSAN" or "الحسن" only if one of its stored names says so.

- Name tokens: for a person every name of ``Person.all_names()`` (Latin, original script,
  aliases), for an organisation its name and aliases, each through
  ``matching.text.name_tokens``. The tokens of all names of a record form one set, and a query
  matches a record that has *all* the query's tokens.
- Spelling keys: the same names, word by word, through ``matching.blocking.spelling_keys``
  (cross-script consonant skeletons: "Youssef", "Yusuf" and "يوسف" share ``s:SF``), kept in
  the same index as the name tokens, written ``~SF``. A token is made of word characters only,
  so the ``~`` keeps the two kinds of key apart. A sounds-like query matches a record that has,
  for every query word with readings, at least one of that word's keys.
- Document keys: ``matching.text.document_key`` of a document record's number.
- Record time: when an event occurred, a report was published, an indicator or an alert
  became valid; otherwise when the record last changed. Alerts have no names of their own:
  their subject's record holds them and is found by them.
- Valid until: when an alert or an indicator stops being valid (None for other kinds, and for
  an indicator valid indefinitely); with the markings' review date, what the lists of records
  falling due are read by.
- References: the records a record points at, each with the role it plays (a document's
  ``holder``, an alert's ``subject``, an event's ``participant``, a report's ``reference``, a
  relationship's ``source`` and ``target``); what a record's page reads to list the records
  pointing at it.

Keys longer than the index columns are cut, identically on both sides, rather than refused: a
pathological thousand-letter "name" still stores and is still found by its prefix.
"""

from __future__ import annotations

import datetime as dt

from passerelle.domain.records import (
    Alert,
    Document,
    Event,
    Indicator,
    Record,
    Report,
)
from passerelle.matching.blocking import spelling_keys
from passerelle.matching.text import document_key, name_tokens
from passerelle.storage.schema import DOCUMENT_KEY_LENGTH, ID_LENGTH, TOKEN_LENGTH
from passerelle.storage.types import as_utc

#: Starts every spelling key in the name index; never part of a name token (``\w`` only).
SPELLING_PREFIX = "~"


def query_tokens(name: str) -> list[str]:
    """The distinct tokens a name query must all find, in the order written."""
    return list(dict.fromkeys(token[:TOKEN_LENGTH] for token in name_tokens(name)))


def record_tokens(record: Record) -> set[str]:
    """Every name token the record is indexed under (empty for kinds without names)."""
    return {token for name in record.names for token in query_tokens(name)}


def _spelling_key(key: str) -> str:
    """``s:SF`` as it is indexed: ``~SF``."""
    return (SPELLING_PREFIX + key.removeprefix("s:"))[:TOKEN_LENGTH]


def query_spelling_groups(text: str) -> list[tuple[str, ...]]:
    """For each word of a sounds-like query that has readings, the index keys of which a record
    must have at least one; distinct groups in the order written (none: nothing matches)."""
    return list(dict.fromkeys(tuple(_spelling_key(key) for key in word)
                              for word in spelling_keys(text)))


def record_spelling_keys(record: Record) -> set[str]:
    """Every spelling key the record is indexed under (empty for kinds without names)."""
    return {_spelling_key(key) for name in record.names
            for word in spelling_keys(name) for key in word}


def query_document_key(number: str) -> str:
    """A document number as it is looked up."""
    return document_key(number)[:DOCUMENT_KEY_LENGTH]


def record_document_keys(record: Record) -> set[str]:
    """The document numbers the record is indexed under (empty unless it is a document)."""
    if isinstance(record.details, Document):
        key = query_document_key(record.details.number)
        return {key} if key else set()
    return set()


def record_time(record: Record) -> dt.datetime:
    """The time a search's time range applies to."""
    details = record.details
    if isinstance(details, Event):
        moment = details.occurred_at
    elif isinstance(details, Report):
        moment = details.published
    elif isinstance(details, Indicator | Alert):
        moment = details.valid_from
    else:
        moment = record.modified_at
    return as_utc(moment)


def record_valid_until(record: Record) -> dt.datetime | None:
    """When an alert or an indicator stops being valid, in UTC; None for other kinds."""
    details = record.details
    if isinstance(details, Indicator | Alert) and details.valid_until is not None:
        return as_utc(details.valid_until)
    return None


def record_references(record: Record) -> list[tuple[str, str]]:
    """The distinct (role, target id) pairs the record points at, in the order written.

    A target id longer than a stored record's id is left out rather than cut: it names a STIX
    object this node cannot hold, so no record page would ever ask for it, and a cut id could
    name another record."""
    return list(dict.fromkeys((role, target) for role, target in record.links
                              if len(target) <= ID_LENGTH))
