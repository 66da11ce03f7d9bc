"""The parts of TAXII that need no HTTP: timestamps, media types, URL parameters, what a filter
selects, signed cursors, and keyset pages whose cost does not depend on where they start."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from passerelle.errors import BadRequest
from passerelle.interop.taxii import store
from passerelle.interop.taxii.cursor import CursorCodec, scope_of
from passerelle.interop.taxii.media import accepts_taxii, is_taxii
from passerelle.interop.taxii.model import ObjectFilter, Position
from passerelle.interop.taxii.parameters import Endpoint, read_filter, read_limit, read_next
from passerelle.interop.taxii.selection import StoredVersion, select
from passerelle.interop.taxii.store import MemoryCollection, StoredObject
from passerelle.interop.taxii.timestamps import format_timestamp, parse_timestamp

UTC = dt.UTC
KEY = b"k" * 32
SCOPE = scope_of("objects", "root", "collection", "[]", "user:a")


def at(day: int, micro: int = 0) -> dt.datetime:
    return dt.datetime(2026, 1, day, 0, 0, 0, micro, tzinfo=UTC)


# -- timestamps ------------------------------------------------------------------------------


def test_date_added_is_written_to_the_microsecond() -> None:
    assert format_timestamp(at(2, 5)) == "2026-01-02T00:00:00.000005Z"
    assert format_timestamp(dt.datetime(2026, 1, 2, 1, tzinfo=dt.timezone(
        dt.timedelta(hours=1)))) == "2026-01-02T00:00:00.000000Z"


@pytest.mark.parametrize(("text", "expected"), [
    ("2026-01-02T00:00:00Z", at(2)),
    ("2026-01-02T00:00:00.000005Z", at(2, 5)),
    ("2026-01-02T00:00:00.0000059Z", at(2, 5)),  # finer than a microsecond: truncated
    ("2026-01-02T00:00:00.5Z", at(2, 500_000)),
])
def test_taxii_timestamps_are_read(text: str, expected: dt.datetime) -> None:
    assert parse_timestamp(text) == expected


@pytest.mark.parametrize("text", ["2026-01-02", "2026-01-02T00:00:00", "2026-01-02 00:00:00Z",
                                  "2026-01-02T00:00:00+00:00", "2026-02-30T00:00:00Z",
                                  "2026-01-02T24:00:00Z", "2026-01-02T00:00:00.Z", 20260102,
                                  None, "2026-01-02t00:00:00z"])
def test_anything_else_is_not_a_timestamp(text: Any) -> None:
    assert parse_timestamp(text) is None


@given(st.datetimes(min_value=dt.datetime(1, 1, 1), timezones=st.just(UTC)))
def test_a_written_timestamp_reads_back(moment: dt.datetime) -> None:
    assert parse_timestamp(format_timestamp(moment)) == moment


# -- media types -----------------------------------------------------------------------------


@pytest.mark.parametrize(("accept", "ok"), [
    (None, True), ("", True), ("*/*", True), ("application/*", True),
    ("application/taxii+json", True), ("application/taxii+json;version=2.1", True),
    ('application/taxii+json; version="2.1"', True),
    ("application/taxii+json;version=2.0", False), ("application/json", False),
    ("application/taxii+json;version=2.1;q=0", False),
    ("*/*, application/taxii+json;q=0", False),  # the most specific range decides
    ("application/taxii+json;q=0, application/taxii+json;version=2.1", True),
    ("*/*;q=bogus", False),
])
def test_accept_allows_taxii_21_json_or_not(accept: str | None, ok: bool) -> None:
    assert accepts_taxii(accept) is ok


@pytest.mark.parametrize(("content_type", "ok"), [
    ("application/taxii+json;version=2.1", True), ("application/taxii+json", True),
    ("Application/TAXII+JSON; version=2.1", True), ("application/taxii+json;version=2.0", False),
    ("application/json", False), (None, False), ("", False),
])
def test_a_body_is_taxii_21_json_or_not(content_type: str | None, ok: bool) -> None:
    assert is_taxii(content_type) is ok


# -- parameters ------------------------------------------------------------------------------


def test_each_endpoint_has_its_defaults() -> None:
    assert read_filter({}, Endpoint.OBJECTS) == ObjectFilter(versions=("last",),
                                                             spec_versions=None)
    assert read_filter({}, Endpoint.VERSIONS).versions == ("all",)
    delete = read_filter({}, Endpoint.DELETE)
    assert (delete.versions, delete.spec_versions) == (("all",), frozenset())


def test_an_endpoint_ignores_the_filters_it_does_not_define() -> None:
    params = {"match[type]": ["indicator"], "match[version]": ["first"],
              "added_after": ["2026-01-02T00:00:00Z"]}
    assert read_filter(params, Endpoint.OBJECT) == ObjectFilter(
        added_after=at(2), versions=("first",))
    assert read_filter(params, Endpoint.VERSIONS) == ObjectFilter(
        added_after=at(2), versions=("all",))
    assert read_filter(params, Endpoint.DELETE).added_after is None


def test_values_and_repetitions_are_a_union() -> None:
    query = read_filter({"match[type]": ["indicator, malware", "identity"],
                         "match[version]": ["first,2026-01-02T00:00:00Z"],
                         "match[spec_version]": ["2.0,2.1"]}, Endpoint.MANIFEST)
    assert query.types == {"indicator", "malware", "identity"}
    assert query.versions == ("first", at(2))
    assert query.spec_versions == {"2.0", "2.1"}


def test_limit_is_capped_at_the_page_size_and_next_may_be_empty() -> None:
    assert read_limit({}, 50) == 50
    assert read_limit({"limit": ["7"]}, 50) == 7
    assert read_limit({"limit": ["500"]}, 50) == 50
    assert read_limit({"limit": ["0" * 30 + "3"]}, 50) == 3
    assert read_next({"next": [""]}) is None
    with pytest.raises(BadRequest) as refused:
        read_limit({"limit": ["00"]}, 50)
    assert refused.value.field == "limit"


def test_equal_filters_have_equal_keys_whatever_the_order() -> None:
    one = read_filter({"match[type]": ["a,b"]}, Endpoint.OBJECTS)
    two = read_filter({"match[type]": ["b", "a"]}, Endpoint.OBJECTS)
    assert one.key() == two.key()
    assert one.key() != read_filter({"match[type]": ["a"]}, Endpoint.OBJECTS).key()


# -- selection -------------------------------------------------------------------------------


def version(day: int, spec: str = "2.1", added: int | None = None) -> StoredVersion:
    return StoredVersion("indicator--1", at(day), format_timestamp(at(day)), spec,
                         at(added if added is not None else day))


V1, V2, V3_20 = version(1), version(2), version(3, "2.0")


@pytest.mark.parametrize(("query", "expected"), [
    (ObjectFilter(), [V2]),
    (ObjectFilter(versions=("first",)), [V1]),
    (ObjectFilter(versions=("all",)), [V1, V2]),
    (ObjectFilter(versions=("first", "last")), [V1, V2]),
    (ObjectFilter(spec_versions=frozenset()), [V3_20]),
    (ObjectFilter(spec_versions=frozenset({"2.0"})), [V3_20]),
    (ObjectFilter(versions=(at(1), at(9))), [V1]),
    (ObjectFilter(added_after=at(1)), [V2]),
    (ObjectFilter(added_after=at(2)), [V3_20]),  # what is left is only in STIX 2.0
    (ObjectFilter(added_after=at(1), versions=("first",)), [V2]),
])
def test_a_filter_selects_versions_of_one_object(query: ObjectFilter,
                                                 expected: list[StoredVersion]) -> None:
    assert select([V1, V2, V3_20], query) == expected


def test_stix_versions_compare_as_numbers() -> None:
    newer = version(1, "2.10")
    assert select([version(2, "2.9"), newer], ObjectFilter()) == [newer]


# -- cursors ---------------------------------------------------------------------------------


@given(st.datetimes(min_value=dt.datetime(1, 1, 1), timezones=st.just(UTC)), st.text())
def test_a_cursor_gives_back_its_position(moment: dt.datetime, key: str) -> None:
    codec = CursorCodec(KEY)
    position = Position(moment, key.encode("utf-8", "replace").decode("utf-8"))
    assert codec.decode(codec.encode(position, SCOPE), SCOPE) == position


def test_a_cursor_is_url_safe_and_opaque() -> None:
    cursor = CursorCodec(KEY).encode(Position(at(2), "indicator--1 x"), SCOPE)
    assert cursor.replace("-", "").replace("_", "").isalnum()


@given(st.integers(min_value=0), st.integers(min_value=0, max_value=7))
def test_any_altered_bit_is_refused(index: int, bit: int) -> None:
    codec = CursorCodec(KEY)
    cursor = codec.encode(Position(at(2), "indicator--1 2026"), SCOPE)
    raw = bytearray(_b64(cursor))
    raw[index % len(raw)] ^= 1 << bit
    with pytest.raises(BadRequest) as refused:
        codec.decode(_unb64(bytes(raw)), SCOPE)
    assert refused.value.field == "next"


def test_a_cursor_of_another_scope_or_key_is_refused() -> None:
    cursor = CursorCodec(KEY).encode(Position(at(2), "k"), SCOPE)
    with pytest.raises(BadRequest, match="another query"):
        CursorCodec(KEY).decode(cursor, scope_of("objects", "root", "other"))
    with pytest.raises(BadRequest, match="signature"):
        CursorCodec(b"z" * 32).decode(cursor, SCOPE)


def test_a_short_key_is_refused() -> None:
    with pytest.raises(ValueError, match="16 bytes"):
        CursorCodec(b"short")


def _b64(cursor: str) -> bytes:
    import base64

    return base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))


def _unb64(raw: bytes) -> str:
    import base64

    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


# -- keyset pages ----------------------------------------------------------------------------


def row(n: int, kind: str = "indicator") -> StoredObject:
    object_id = f"{kind}--00000000-0000-4000-8000-{n:012d}"
    moment = dt.datetime(2026, 1, 1, tzinfo=UTC) + dt.timedelta(seconds=n)
    meta = StoredVersion(object_id, moment, format_timestamp(moment), "2.1", moment)
    return StoredObject(meta, {"id": object_id, "type": kind}, "application/stix+json")


@pytest.fixture
def examined(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The object ids a page looked at, in order."""
    seen: list[str] = []
    original = store.names_object

    def counting(object_id: str, query: ObjectFilter) -> bool:
        seen.append(object_id)
        return original(object_id, query)

    monkeypatch.setattr(store, "names_object", counting)
    return seen


def test_a_page_deep_in_a_large_collection_looks_only_at_what_it_returns(
        examined: list[str]) -> None:
    collection = MemoryCollection()
    for n in range(20_000):
        collection.add(row(n))
    first = collection.page(ObjectFilter(), 10, None)
    assert len(examined) == 11  # the page and one more, to know there is more
    examined.clear()
    deep = collection.page(ObjectFilter(), 10, row(19_000).position)
    assert [r.meta.object_id for r in deep.items] == [row(n).meta.object_id
                                                      for n in range(19_001, 19_011)]
    assert len(examined) == 11
    assert deep.more
    assert first.last is not None
    assert first.last == first.items[-1].position
    examined.clear()
    since = collection.page(ObjectFilter(added_after=row(19_990).meta.date_added), 10, None)
    assert len(since.items) == 9
    assert not since.more
    assert len(examined) == 9


def test_an_id_filter_looks_only_at_that_objects_versions(examined: list[str]) -> None:
    collection = MemoryCollection()
    for n in range(5_000):
        collection.add(row(n))
    wanted = row(4_321).meta.object_id
    page = collection.page(ObjectFilter(ids=frozenset({wanted})), 10, None)
    assert [r.meta.object_id for r in page.items] == [wanted]
    assert examined == [wanted]


def test_pages_tile_the_listing_exactly() -> None:
    collection = MemoryCollection()
    rows = [row(n, kind) for n in range(40) for kind in ("indicator", "malware")]
    for r in reversed(rows):  # insertion order does not matter
        collection.add(dataclasses.replace(r))
    seen: list[str] = []
    after = None
    while True:
        page = collection.page(ObjectFilter(types=frozenset({"malware"})), 7, after)
        seen += [r.meta.object_id for r in page.items]
        if not page.more:
            break
        after = page.last
    assert seen == [row(n, "malware").meta.object_id for n in range(40)]


def test_a_signed_position_the_collection_cannot_read_is_a_400() -> None:
    collection = MemoryCollection()
    collection.add(row(1))
    with pytest.raises(BadRequest):
        collection.page(ObjectFilter(), 10, Position(at(2), "no-version-here"))
