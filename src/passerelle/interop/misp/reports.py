"""A MISP event's own properties and the report record it becomes, both ways.

The event is a ``report--<event uuid>``: title = ``info``, published = the event's ``date``
(at the time of ``publish_timestamp`` or ``timestamp`` when that falls on the date), modified =
``timestamp``, references = the records made of its attributes, objects and references. The
rest of the event (analysis, threat level, distribution, organisations, tags, galaxies...) is
kept in the report's extras.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Final

from passerelle.domain.records import Record, Report
from passerelle.errors import InvalidMisp
from passerelle.interop.misp.extras import EVENT_LOCAL, absent, clean_org, clean_tags, without
from passerelle.interop.misp.scope import EventScope, build_record, reported
from passerelle.interop.misp.tags import TagReading
from passerelle.interop.misp.timestamps import midnight, read_date, read_timestamp

MAPPED: Final = ("uuid", "info", "date", "timestamp", "Attribute", "Object")
"""Event properties the report maps; an event without uuid gets one, and keeps it on export."""
TITLE_LIMIT: Final = 1000


def event_time(event: dict[str, Any], path: str, received_at: dt.datetime) -> dt.datetime:
    """When the event was last changed, for elements that carry no time of their own: its
    timestamp, else its date, else the moment of the import (ignoring broken values, which
    the report reports)."""
    for key, reader in (("timestamp", read_timestamp), ("date", read_date)):
        try:
            value = reader(event[key], f"{path}.{key}")
        except (KeyError, InvalidMisp):
            continue
        return value if isinstance(value, dt.datetime) else midnight(value)
    return received_at


def read_report(event: dict[str, Any], scope: EventScope, raw_uuid: str | None,
                references: list[str]) -> Record:
    """The event itself as a report referring to ``references``."""
    path = scope.path
    when = scope.time_of(event, path)
    info = event.get("info", "")
    if not isinstance(info, str):
        raise InvalidMisp("must be a string", field=f"{path}.info")
    title = _title(info, scope.uuid)
    published = _published(event, path, when)
    kept = without(event, EVENT_LOCAL | set(MAPPED))
    for key in ("Org", "Orgc"):
        if key in kept:
            kept[key] = clean_org(kept[key])
    if isinstance(kept.get("Tag"), list):
        kept["Tag"] = clean_tags(kept["Tag"])
    if raw_uuid is not None:
        kept["uuid"] = raw_uuid
    if "info" in event and info != title:
        kept["info"] = info
    with reported(path, {"title": "info"}):
        details = Report(title, "", published, tuple(references))
    markings = scope.markings(TagReading(), indicator=False, where=path)
    return build_record(f"report--{scope.uuid}", details, markings, when=when, scope=scope,
                        kept=kept, absent=absent(event, MAPPED[1:]), where=path)


def _title(info: str, uuid: str) -> str:
    if not info.strip():
        return f"MISP event {uuid}"
    return info if len(info) <= TITLE_LIMIT else info[:TITLE_LIMIT - 1] + "…"


def _published(event: dict[str, Any], path: str, when: dt.datetime) -> dt.datetime:
    if "date" not in event:
        return when
    day = read_date(event["date"], f"{path}.date")
    for key in ("publish_timestamp", "timestamp"):
        try:
            moment = read_timestamp(event.get(key), key)
        except InvalidMisp:
            continue
        if moment.date() == day:
            return moment
    return midnight(day)


def info_of(record: Record, kept: dict[str, Any]) -> str:
    """The ``info`` of the event a report becomes."""
    details = record.details
    assert isinstance(details, Report)
    info = kept.get("info")
    if isinstance(info, str) and _title(info, record.id.split("--", 1)[1]) == details.title:
        return info
    return details.title
