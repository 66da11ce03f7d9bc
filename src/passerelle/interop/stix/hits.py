"""Hit reports and hit messages on the wire: a STIX ``sighting`` of the alert, notes on it.

A hit report is what the agency that found an alert's subject tells the agency that issued the
alert. STIX 2.1 already has the object for "this was seen, there, then": a ``sighting`` whose
``sighting_of_ref`` is the alert (``x-passerelle-alert--<uuid>``), ``where_sighted_refs`` and
``created_by_ref`` the finder agency's identity, ``first_seen`` = ``last_seen`` the time of the
encounter and ``created`` the time of the report. What the SIS/SIRENE hit form adds (place,
reason of the check, action taken, route, companions, vehicle, objects carried...) travels in
Passerelle's ``passerelle-hit`` property-extension, never as ad-hoc ``x_`` properties. The
acknowledgement and the replies that follow are ``note`` objects on that sighting, with the
``passerelle-hit-message`` property-extension saying which kind of message it is.

Ids keep their UUIDs: ``hit--<uuid>`` is ``sighting--<uuid>``, ``message--<uuid>`` is
``note--<uuid>``, ``alert--<uuid>`` is ``x-passerelle-alert--<uuid>``, so both nodes name the
same hit the same way and a message finds its hit again.

Both objects are marked TLP:AMBER+STRICT: a hit goes to the issuer only. The reader refuses any
other marking rather than dropping it, and refuses an object whose creator is not the agency
its extension names (a mismatch means it was altered or forged). What is local to one node
(the direction, the finder's candidate, when the hit was answered, the messages) does not
travel: a report read here is always ``Direction.RECEIVED``.

Readers raise ``InvalidStix`` naming the property at fault by its path in the object
(``extensions.extension-definition--….place``), prefixed by ``path`` when the object sits in
a bundle. Whether a hit may be sent, and to whom, is decided by the services, not here.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from typing import Any, Final, TypeVar

from passerelle.domain.dates import parse_timestamp
from passerelle.domain.hits import Direction, HitMessage, HitReport, MessageKind, Sighting
from passerelle.domain.markings import Tlp, parse_enum
from passerelle.errors import InvalidStix, ValidationFailed
from passerelle.interop.stix.extensions import ALERTS_PUBLISHED, Extension
from passerelle.interop.stix.identifiers import (
    ALERT_TYPE,
    agency_identity_id,
    check_timestamp,
    format_timestamp,
    split_stix_id,
)
from passerelle.interop.stix.place import Place
from passerelle.interop.stix.tlp import TLP2_MARKING_IDS, tlp_of_marking_refs

StixObject = dict[str, Any]
T = TypeVar("T")

HIT: Final = Extension(
    "passerelle-hit", "extension-definition--165d0720-0570-5fa6-a597-0362ed375e0d",
    "Passerelle hit report", "property-extension", "hit.json",
    created=ALERTS_PUBLISHED, modified=ALERTS_PUBLISHED,
)
"""On a ``sighting``: the hit report's fields that STIX has no property for."""

HIT_MESSAGE: Final = Extension(
    "passerelle-hit-message", "extension-definition--4b4474fc-9836-55dc-843f-b677dc3640f6",
    "Passerelle hit message", "property-extension", "hit-message.json",
    created=ALERTS_PUBLISHED, modified=ALERTS_PUBLISHED,
)
"""On a ``note``: the kind of message (acknowledgement or reply), its agency and its hit."""

HIT_EXTENSIONS: Final[tuple[Extension, ...]] = (HIT, HIT_MESSAGE)
"""The extension-definitions a bundle of hits and messages refers to."""

HIT_TLP: Final = Tlp.AMBER_STRICT
"""The one TLP level of hit reports and messages: they are for the issuer's organisation only."""

MESSAGE_PREFIX: Final = "message"
"""Hit message ids are ``message--<uuid>``: the note's UUID with this prefix."""

_AGENCY = re.compile(r"^[a-z][a-z0-9-]{1,62}$")
_MAX_AUTHOR = 200  # the user columns of storage


# --- writing -------------------------------------------------------------------------------


def hit_object(report: HitReport) -> StixObject:
    """The ``sighting`` that carries ``report`` to the issuer.

    Only what the issuer needs travels: ``direction``, ``candidate_id``, ``answered_at`` and
    ``messages`` are the sending node's own state (messages travel as notes of their own).
    """
    finder = agency_identity_id(report.finder)
    seen = format_timestamp(report.sighting.found_at)
    reported = format_timestamp(report.reported_at)
    return {
        "type": "sighting",
        "spec_version": "2.1",
        "id": f"sighting--{_uuid_of(report.id, 'hit', 'id')}",
        "created_by_ref": finder,
        "created": reported,
        "modified": reported,
        "first_seen": seen,
        "last_seen": seen,
        "count": 1,
        "sighting_of_ref": f"{ALERT_TYPE}--{_uuid_of(report.alert_id, 'alert', 'alert_id')}",
        "where_sighted_refs": [finder],
        "object_marking_refs": [TLP2_MARKING_IDS[HIT_TLP]],
        "extensions": {HIT.id: _hit_data(report)},
    }


def _hit_data(report: HitReport) -> StixObject:
    sighting = report.sighting
    data: StixObject = {
        "extension_type": "property-extension",
        "issuer_agency": report.issuer,
        "finder_agency": report.finder,
        "place": sighting.place,
        "reason_of_check": sighting.reason_of_check,
        "action_taken": sighting.action_taken,
    }
    for name in ("route", "destination", "companions", "vehicle", "objects_carried", "remarks"):
        value = getattr(sighting, name)
        if value:  # STIX forbids empty lists; absent reads back as the domain's empty default
            data[name] = list(value) if isinstance(value, tuple) else value
    data["reported_by"] = report.reported_by
    return data


def message_object(message: HitMessage) -> StixObject:
    """The ``note`` that carries an acknowledgement or a reply about a hit to the other side."""
    at = format_timestamp(message.at)
    return {
        "type": "note",
        "spec_version": "2.1",
        "id": f"note--{_uuid_of(message.id, MESSAGE_PREFIX, 'id')}",
        "created_by_ref": agency_identity_id(message.agency),
        "created": at,
        "modified": at,
        "content": message.text,
        "authors": [message.author],
        "object_refs": [f"sighting--{_uuid_of(message.hit_id, 'hit', 'hit_id')}"],
        "object_marking_refs": [TLP2_MARKING_IDS[HIT_TLP]],
        "extensions": {HIT_MESSAGE.id: {
            "extension_type": "property-extension",
            "kind": message.kind.value,
            "agency": message.agency,
            "hit_id": message.hit_id,
        }},
    }


def _uuid_of(value: object, prefix: str, field: str) -> str:
    """The UUID of a ``<prefix>--<uuid>`` id, refusing any other prefix."""
    kind, uid = split_stix_id(value, field)
    if kind != prefix:
        raise InvalidStix(f"{value!r} is not a {prefix}--<uuid> id", field=field)
    return uid


# --- recognising ---------------------------------------------------------------------------


def is_hit(obj: object) -> bool:
    """True for a Passerelle hit report: a ``sighting`` carrying the hit extension.

    Other producers' sightings (of indicators, malware...) are not hits and are left alone.
    Says nothing of validity: ``read_hit`` may still refuse the object."""
    return _carries(obj, "sighting", HIT)


def is_hit_message(obj: object) -> bool:
    """True for a Passerelle hit message: a ``note`` carrying the hit-message extension."""
    return _carries(obj, "note", HIT_MESSAGE)


def _carries(obj: object, stix_type: str, extension: Extension) -> bool:
    if not isinstance(obj, Mapping) or obj.get("type") != stix_type:
        return False
    extensions = obj.get("extensions")
    return isinstance(extensions, Mapping) and extension.id in extensions


# --- reading -------------------------------------------------------------------------------


def read_hit(obj: object, *, path: str = "") -> HitReport:
    """Read a hit report a finder sent us; inverse of ``hit_object`` (direction RECEIVED).

    ``path`` prefixes the field of every error (``objects[3]`` inside a bundle). Raises
    ``InvalidStix`` naming the offending property, and nothing else.
    """
    place = Place(path)
    sighting_obj, uid = _envelope(obj, "sighting", place)
    data = _extension_data(sighting_obj, HIT, place)
    finder = _agency(data, "finder_agency", HIT, place)
    issuer = _agency(data, "issuer_agency", HIT, place)
    _check_creator(sighting_obj, finder, place)
    if sighting_obj.get("where_sighted_refs") != [agency_identity_id(finder)]:
        raise InvalidStix(f"must be [the identity of the finder agency {finder!r}]",
                          field=place.at("where_sighted_refs"))
    if sighting_obj.get("count", 1) != 1:
        raise InvalidStix("a hit report is one encounter: count must be 1",
                          field=place.at("count"))
    return HitReport(
        id=f"hit--{uid}",
        alert_id=f"alert--{_alert_uuid(sighting_obj, place)}",
        issuer=issuer,
        finder=finder,
        sighting=_sighting(sighting_obj, data, place),
        reported_by=_author(data.get("reported_by"), place.ext(HIT, "reported_by")),
        reported_at=_created(sighting_obj, place),
        direction=Direction.RECEIVED,
    )


def read_message(obj: object, *, path: str = "") -> HitMessage:
    """Read an acknowledgement or a reply about a hit; inverse of ``message_object``.

    Raises ``InvalidStix`` naming the offending property (prefixed by ``path``), and nothing
    else. Whether the sender is a party to the hit is for the caller to check.
    """
    place = Place(path)
    note, uid = _envelope(obj, "note", place)
    data = _extension_data(note, HIT_MESSAGE, place)
    agency = _agency(data, "agency", HIT_MESSAGE, place)
    _check_creator(note, agency, place)
    hit_id = data.get("hit_id")
    hit_uuid = _uuid_of(hit_id, "hit", place.ext(HIT_MESSAGE, "hit_id"))
    if note.get("object_refs") != [f"sighting--{hit_uuid}"]:
        raise InvalidStix(f"must be [the sighting of {hit_id}], and nothing else",
                          field=place.at("object_refs"))
    return _built(lambda: HitMessage(
        id=f"{MESSAGE_PREFIX}--{uid}",
        hit_id=f"hit--{hit_uuid}",
        kind=parse_enum(MessageKind, data.get("kind"), "kind"),
        agency=agency,
        author=_one_author(note, place),
        text=_text(note, "content", place.at("content")),
        at=_created(note, place),
    ), {"text": place.at("content"), "kind": place.ext(HIT_MESSAGE, "kind")}, place)


def _envelope(obj: object, stix_type: str, place: Place) -> tuple[Mapping[str, Any], str]:
    """The object and the UUID of its id, once its type, id and marking are what hits use."""
    if not isinstance(obj, Mapping):
        raise InvalidStix("a STIX object must be a JSON object", field=place.path or "object")
    if obj.get("type") != stix_type:
        raise InvalidStix(f"must be {stix_type!r}", field=place.at("type"))
    uid = _uuid_of(obj.get("id"), stix_type, place.at("id"))
    if obj.get("revoked") is True:
        raise InvalidStix("the sender revoked this object", field=place.at("revoked"))
    _check_marking(obj, place)
    return obj, uid


def _check_marking(obj: Mapping[str, Any], place: Place) -> None:
    """Exactly TLP:AMBER+STRICT: a looser level would invite passing the hit on, and a stricter
    one (or any other marking) would be a restriction Passerelle cannot keep for a hit."""
    if "granular_markings" in obj:
        raise InvalidStix("hits are marked as a whole", field=place.at("granular_markings"))
    field = place.at("object_marking_refs")
    refs = obj.get("object_marking_refs")
    if not isinstance(refs, list):
        raise InvalidStix("must be a list of marking-definition ids", field=field)
    if tlp_of_marking_refs(refs, field) is not HIT_TLP or len(refs) != 1:
        raise InvalidStix(f"must be [TLP:{HIT_TLP.value}] alone: hits go to the issuer only",
                          field=field)


def _extension_data(obj: Mapping[str, Any], extension: Extension,
                    place: Place) -> Mapping[str, Any]:
    """The extension's data, with no property its schema does not define and every one it
    requires: an unknown one would come from a newer version and may restrict use."""
    extensions = obj.get("extensions")
    if not isinstance(extensions, Mapping):
        raise InvalidStix(f"must be an object holding {extension.name}",
                          field=place.at("extensions"))
    data = extensions.get(extension.id)
    if not isinstance(data, Mapping):
        raise InvalidStix(f"{extension.name} {extension.version} is required",
                          field=place.at(f"extensions.{extension.id}"))
    unknown = sorted(set(data) - extension.properties())
    if unknown:
        raise InvalidStix(f"not a property of {extension.name} {extension.version}",
                          field=place.ext(extension, unknown[0]))
    for name in extension.required():
        if name not in data:
            raise InvalidStix(f"is required by {extension.name} {extension.version}",
                              field=place.ext(extension, name))
    if data["extension_type"] != "property-extension":
        raise InvalidStix("must be 'property-extension'",
                          field=place.ext(extension, "extension_type"))
    return data


def _agency(data: Mapping[str, Any], name: str, extension: Extension, place: Place) -> str:
    value = data.get(name)
    if not isinstance(value, str) or not _AGENCY.match(value):
        raise InvalidStix(f"{value!r} is not an agency id (lower-case letters, digits and "
                          "dashes, 2-63 characters)", field=place.ext(extension, name))
    return value


def _check_creator(obj: Mapping[str, Any], agency: str, place: Place) -> None:
    """The sender named in the extension and ``created_by_ref`` must agree."""
    if obj.get("created_by_ref") != agency_identity_id(agency):
        raise InvalidStix(f"must be the identity of the agency {agency!r}",
                          field=place.at("created_by_ref"))


def _alert_uuid(obj: Mapping[str, Any], place: Place) -> str:
    field = place.at("sighting_of_ref")
    stix_type, uid = split_stix_id(obj.get("sighting_of_ref"), field)
    if stix_type != ALERT_TYPE:
        raise InvalidStix(f"a hit is a sighting of a Passerelle alert ({ALERT_TYPE}), "
                          f"not of a {stix_type}", field=field)
    return uid


def _timestamp(obj: Mapping[str, Any], key: str, place: Place) -> dt.datetime:
    field = place.at(key)
    return parse_timestamp(check_timestamp(obj.get(key), field), field)


def _created(obj: Mapping[str, Any], place: Place) -> dt.datetime:
    """``created``; hits and messages are never updated, so ``modified`` must be the same."""
    created = _timestamp(obj, "created", place)
    if _timestamp(obj, "modified", place) != created:
        raise InvalidStix("hit reports and messages have one version: must equal created",
                          field=place.at("modified"))
    return created


def _sighting(obj: Mapping[str, Any], data: Mapping[str, Any], place: Place) -> Sighting:
    found_at = _timestamp(obj, "first_seen", place)
    if _timestamp(obj, "last_seen", place) != found_at:
        raise InvalidStix("a hit is one encounter: must equal first_seen",
                          field=place.at("last_seen"))

    def text(name: str) -> str:
        return _text(data, name, place.ext(HIT, name))

    def texts(name: str) -> tuple[str, ...]:
        return _texts(data, name, place.ext(HIT, name))

    fields = {name: place.ext(HIT, name) for name in Sighting.__dataclass_fields__}
    return _built(lambda: Sighting(
        found_at=found_at,
        place=text("place"),
        reason_of_check=text("reason_of_check"),
        action_taken=text("action_taken"),
        route=text("route"),
        destination=text("destination"),
        companions=texts("companions"),
        vehicle=text("vehicle"),
        objects_carried=texts("objects_carried"),
        remarks=text("remarks"),
    ), {**fields, "found_at": place.at("first_seen")}, place)


def _text(data: Mapping[str, Any], name: str, field: str) -> str:
    value = data.get(name, "")
    if not isinstance(value, str):
        raise InvalidStix("must be a string", field=field)
    return value


def _texts(data: Mapping[str, Any], name: str, field: str) -> tuple[str, ...]:
    value = data.get(name, [])
    if not isinstance(value, list):
        raise InvalidStix("must be a list of strings", field=field)
    return tuple(value)  # the domain checks each item and names it, as name[index]


def _author(value: object, field: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InvalidStix("must be a non-empty string", field=field)
    if len(value) > _MAX_AUTHOR:
        raise InvalidStix(f"at most {_MAX_AUTHOR} characters", field=field)
    return value


def _one_author(note: Mapping[str, Any], place: Place) -> str:
    authors = note.get("authors")
    if not isinstance(authors, list) or len(authors) != 1:
        raise InvalidStix("must list the one officer who wrote the message",
                          field=place.at("authors"))
    return _author(authors[0], place.at("authors[0]"))


def _built(build: Callable[[], T], paths: Mapping[str, str], place: Place) -> T:
    """``build()``, with the domain's own checks reported at the STIX property they came from
    (``companions[2]`` becomes ``extensions.<hit extension id>.companions[2]``)."""
    try:
        return build()
    except InvalidStix:
        raise
    except ValidationFailed as error:
        name = error.field or ""
        base = name.split("[", 1)[0]
        at = paths[base] + name[len(base):] if base in paths else place.path or "object"
        raise InvalidStix(error.detail, field=at) from None
