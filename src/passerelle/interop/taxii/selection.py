"""Which versions of one object a TAXII filter selects — the meaning of ``ObjectFilter``.

Written once, as plain functions over the versions of a single object, so that an in-memory
backend can use it directly and a database backend can test its queries against it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from passerelle.interop.taxii.model import ObjectFilter, VersionMatch


@dataclass(frozen=True, slots=True)
class StoredVersion:
    """One version of one object as a backend keeps it (the object itself aside)."""

    object_id: str
    version: dt.datetime
    version_text: str
    spec_version: str
    date_added: dt.datetime

    @property
    def object_type(self) -> str:
        """The STIX type, read from the id (``indicator--...`` -> ``indicator``)."""
        return self.object_id.split("--", 1)[0]


def spec_order(spec_version: str) -> tuple[int, ...]:
    """``"2.1"`` -> ``(2, 1)``, so that 2.10 sorts after 2.9; unreadable values sort first."""
    try:
        return tuple(int(part) for part in spec_version.split("."))
    except ValueError:
        return ()


def names_object(object_id: str, query: ObjectFilter) -> bool:
    """True when the object passes ``ids`` and ``types`` (which hold for all its versions)."""
    if query.ids and object_id not in query.ids:
        return False
    return not query.types or object_id.split("--", 1)[0] in query.types


def _by_spec(versions: list[StoredVersion], wanted: frozenset[str] | None
             ) -> list[StoredVersion]:
    if wanted is None:
        if not versions:
            return versions
        latest = max(spec_order(v.spec_version) for v in versions)
        return [v for v in versions if spec_order(v.spec_version) == latest]
    if not wanted:
        return versions
    return [v for v in versions if v.spec_version in wanted]


def _by_version(versions: list[StoredVersion], wanted: Sequence[VersionMatch]
                ) -> list[StoredVersion]:
    if "all" in wanted or not versions:
        return versions
    moments = {w for w in wanted if isinstance(w, dt.datetime)}
    if "first" in wanted:
        moments.add(min(v.version for v in versions))
    if "last" in wanted:
        moments.add(max(v.version for v in versions))
    return [v for v in versions if v.version in moments]


def select(versions: Sequence[StoredVersion], query: ObjectFilter) -> list[StoredVersion]:
    """The versions of one object that ``query`` selects, in the order given.

    ``added_after`` first, then ``spec_versions``, then ``versions`` among what is left.
    ``ids``/``types`` are not checked here (see ``names_object``).
    """
    left = [v for v in versions
            if query.added_after is None or v.date_added > query.added_after]
    return _by_version(_by_spec(left, query.spec_versions), query.versions)
