"""The SQL of record search, shaped so that a page costs about the same with a million records as
with a thousand.

Every search is a keyset page: ``id > after ORDER BY id LIMIT n``. What makes it cheap is which
index walks the candidates *in id order*, so that the database can stop after ``n`` hits:

- A name or document search is driven by one key's entries in ``record_names`` or
  ``record_documents``, whose primary key is (token, record_id): within one token the entries
  are sorted by record id, so the page is read in order. A name of several tokens is driven by
  its *rarest* token; every other token is an ``EXISTS`` probe of (token, record_id), and one
  token's entries sit together in a few pages, so the probes stay in cache. The work is bounded
  by the rarest token's entries, not by the common ones ("mohamed" may name 50,000 people,
  "hamdaoui" 30). Rarity is measured at query time by counting at most ``RARITY_CAP`` entries
  per token, one cheap round trip: SQLite keeps no per-value statistics, and counting beats
  guessing. (``GROUP BY record_id HAVING count(*) = n`` over all tokens would read every common
  token's whole list before returning anything.)
- A sounds-like word is a *group* of keys (``~SF``, or ``~JSF``/``~XSF``/``~SF`` for "Jusuf"),
  any of which a record may have; a name token is a group of one. Groups are ranked by the sum
  of their keys' capped counts. The other groups are ``EXISTS`` probes of ``token IN (...)``.
  A driving group of several keys is read as one ordered, limited scan per key, merged by a
  ``UNION`` and cut to the page: the first ``n`` ids of the union are among the first ``n`` of
  each key, so each scan still stops after ``n`` hits instead of sorting every entry.
- Kinds are not looked up in a column: the kind is the prefix of the id (``person--<uuid>``), so
  a kind filter is a range of ids, ``[kind + "--", kind + "-.")``, which narrows the same index
  scan instead of filtering row by row. This relies on ids comparing byte by byte ("C"
  collation on PostgreSQL, SQLite's default BINARY).
- Owner and time filters apply to the joined ``records`` row; without a name or document the
  scan is the primary key of ``records`` (or ``(owner_agency, id)``, or ``record_time``).
- The page of ids is chosen first, in a subquery, and only then are the ``n`` bodies fetched:
  a time range that matches thousands of records sorts thousands of ids, not thousands of
  bodies.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    FromClause,
    Select,
    and_,
    exists,
    func,
    literal,
    not_,
    or_,
    select,
    union,
)

from passerelle.domain.records import RecordKind
from passerelle.ports import RecordQuery
from passerelle.storage.schema import RECORD_DOCUMENTS, RECORD_NAMES, RECORD_VERSIONS, RECORDS
from passerelle.storage.search_keys import (
    query_document_key,
    query_spelling_groups,
    query_tokens,
)

RARITY_CAP = 10_000
#: Keys of ``record_names`` of which a record must have at least one.
Group = tuple[str, ...]


def latest_bodies(source: FromClause = RECORDS) -> Select[tuple[dict[str, Any]]]:
    """Select the body of the latest version of the records in ``source`` (which joins
    ``records``): one primary-key probe of ``record_versions`` per row."""
    versions = source.join(RECORD_VERSIONS, and_(RECORD_VERSIONS.c.record_id == RECORDS.c.id,
                                                 RECORD_VERSIONS.c.version == RECORDS.c.version))
    return select(RECORD_VERSIONS.c.body).select_from(versions)


def kind_ranges(column: ColumnElement[str], kinds: frozenset[RecordKind]) -> ColumnElement[bool]:
    """``column`` (a record id) names a record of one of ``kinds``.

    A kept STIX object is named by its own STIX id (``malware--...``), not ``object--...``: its
    kind is every id outside the other kinds' ranges."""
    # "-" is 0x2D and "." is 0x2E: every "<kind>--..." id sorts between the two bounds.
    ranges = {kind: and_(column >= f"{kind.value}--", column < f"{kind.value}-.")
              for kind in RecordKind if kind is not RecordKind.OBJECT}
    chosen = [ranges[kind] for kind in sorted(kinds, key=lambda k: k.value)
              if kind is not RecordKind.OBJECT]
    if RecordKind.OBJECT in kinds:
        chosen.append(not_(or_(*ranges.values())))
    return or_(*chosen)


def rank_tokens(connection: Connection, tokens: Sequence[str]) -> list[str]:
    """``tokens`` from the rarest to the most common (counts capped at ``RARITY_CAP``)."""
    return [group[0] for group in rank_groups(connection, [(token,) for token in tokens])]


def rank_groups(connection: Connection, groups: Sequence[Group]) -> list[Group]:
    """``groups`` from the one with the fewest entries to the one with the most, a group's
    entries being the sum of its keys' (each capped at ``RARITY_CAP``); one round trip."""
    if len(groups) < 2:
        return list(groups)
    keys = list(dict.fromkeys(key for group in groups for key in group))
    counts = []
    for key in keys:
        capped = (select(literal(1)).where(RECORD_NAMES.c.token == key)
                  .limit(RARITY_CAP).subquery())
        counts.append(select(func.count()).select_from(capped).scalar_subquery())
    entries = dict(zip(keys, connection.execute(select(*counts)).one(), strict=True))
    return sorted(groups, key=lambda group: sum(entries[key] for key in group))


def search_statement(connection: Connection, query: RecordQuery, after: str | None,
                     limit: int) -> Select[tuple[dict[str, Any]]] | None:
    """The statement selecting the bodies of one page, or None when nothing can match."""
    page = _page_of_ids(connection, query, after, limit)
    if page is None:
        return None
    return latest_bodies(page.join(RECORDS, RECORDS.c.id == page.c.id)).order_by(page.c.id)


def name_groups(query: RecordQuery) -> list[Group] | None:
    """The groups of ``record_names`` keys a record must have one of each, or None when the
    query's name or sounds-like text has no key at all (and so matches nothing)."""
    tokens = query_tokens(query.name) if query.name is not None else []
    spellings = (query_spelling_groups(query.sounds_like) if query.sounds_like is not None
                 else [])
    if (query.name is not None and not tokens) or (query.sounds_like is not None
                                                   and not spellings):
        return None
    return list(dict.fromkeys([(token,) for token in tokens] + spellings))


def _page_of_ids(connection: Connection, query: RecordQuery, after: str | None,
                 limit: int) -> FromClause | None:
    groups = name_groups(query)
    key = query_document_key(query.document_number) if query.document_number is not None else ""
    if groups is None or (query.document_number is not None and not key):
        return None  # a name or number made only of punctuation matches nothing
    if key:
        driver = RECORD_DOCUMENTS.alias("driver")
        return _driven(driver, driver.c.number_key == key, groups, query, after, limit)
    if not groups:
        return (select(RECORDS.c.id).where(*_record_filters(query, RECORDS.c.id, after))
                .order_by(RECORDS.c.id).limit(limit).subquery("page"))
    driving, *probes = rank_groups(connection, groups)
    scans = []
    for index, token in enumerate(driving):
        driver = RECORD_NAMES.alias(f"driver{index}")
        scans.append(_driven(driver, driver.c.token == token, probes, query, after, limit,
                             f"scan{index}"))
    if len(scans) == 1:
        return scans[0]
    merged = union(*(select(scan.c.id) for scan in scans)).subquery("merged")
    return select(merged.c.id).order_by(merged.c.id).limit(limit).subquery("page")


def _driven(driver: FromClause, key: ColumnElement[bool], probes: Sequence[Group],
            query: RecordQuery, after: str | None, limit: int, name: str = "page"
            ) -> FromClause:
    """The first ``limit`` ids, in order, of the driver's entries for ``key`` that pass every
    probe and filter."""
    record_id = driver.c.record_id
    conditions = [key]
    conditions.extend(_has_one_of(record_id, group, i) for i, group in enumerate(probes))
    conditions.extend(_record_filters(query, record_id, after))
    source: FromClause = driver
    if _filters_records(query):
        source = driver.join(RECORDS, RECORDS.c.id == record_id)
    return (select(record_id.label("id")).select_from(source).where(*conditions)
            .order_by(record_id).limit(limit).subquery(name))


def _has_one_of(record_id: ColumnElement[str], group: Group, index: int) -> ColumnElement[bool]:
    probe = RECORD_NAMES.alias(f"probe{index}")
    token = probe.c.token == group[0] if len(group) == 1 else probe.c.token.in_(group)
    return exists().where(token, probe.c.record_id == record_id)


def _filters_records(query: RecordQuery) -> bool:
    return (query.owner_agency is not None or query.time_from is not None
            or query.time_to is not None)


def _record_filters(query: RecordQuery, id_column: ColumnElement[str],
                    after: str | None) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if after is not None:
        conditions.append(id_column > after)
    if query.kinds:
        conditions.append(kind_ranges(id_column, query.kinds))
    if query.owner_agency is not None:
        conditions.append(RECORDS.c.owner_agency == query.owner_agency)
    if query.time_from is not None:
        conditions.append(RECORDS.c.record_time >= query.time_from)
    if query.time_to is not None:
        conditions.append(RECORDS.c.record_time <= query.time_to)
    return conditions
