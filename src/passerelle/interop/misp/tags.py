"""MISP tags and Passerelle's markings, both ways.

Read: ``tlp:*`` (TLP 1.0 ``white`` is TLP 2.0 CLEAR), ``PAP:*`` and Passerelle's own machine
tags (``passerelle:handling-code="H2"``...) set markings; an unknown value in one of these
namespaces is an error, since Passerelle cannot honour a marking it does not know. Every other
tag (taxonomies, galaxies, the NATO ``admiralty-scale``, which DOMAIN.md says is stored as it is
and never converted to the 4x4) is kept as it came.

Written: a record's tag list is the one it came with, in its order, with each marking tag
re-derived from the record's markings (an imported ``tlp:white`` stays ``tlp:white`` while the
record is CLEAR; a marking changed in Passerelle replaces the tag), plus tags for the markings
that differ from what the element would inherit from its event.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Final

from passerelle.domain.markings import (
    FactOrAssessment,
    HandlingCode,
    InformationAccuracy,
    Markings,
    Pap,
    SourceReliability,
    Tlp,
    parse_enum,
)
from passerelle.errors import InvalidMarking, InvalidMisp
from passerelle.interop.misp.extras import clean_tags

TLP_LEVELS: Final = {"white": Tlp.CLEAR, "clear": Tlp.CLEAR, "green": Tlp.GREEN,
                     "amber": Tlp.AMBER, "amber+strict": Tlp.AMBER_STRICT, "red": Tlp.RED}
PAP_LEVELS: Final = {"white": Pap.CLEAR, "clear": Pap.CLEAR, "green": Pap.GREEN,
                     "amber": Pap.AMBER, "red": Pap.RED}
NAMESPACE: Final = "passerelle"
SET_FIELDS: Final = frozenset({"releasable_to", "recipients"})

_MACHINE = re.compile(r'^passerelle:([a-z-]+)="((?:[^"\\]|\\.)*)"$')


def _enum(kind: type[Enum]) -> Callable[[str], object]:
    return lambda text: parse_enum(kind, text, "value")


def _date(text: str) -> object:
    return dt.date.fromisoformat(text)


PREDICATES: Final[dict[str, tuple[str, Callable[[str], object]]]] = {
    "handling-code": ("handling_code", _enum(HandlingCode)),
    "handling-conditions": ("handling_conditions", str),
    "source-reliability": ("source_reliability", _enum(SourceReliability)),
    "information-accuracy": ("information_accuracy", _enum(InformationAccuracy)),
    "fact-or-assessment": ("fact_or_assessment", _enum(FactOrAssessment)),
    "purpose": ("purpose", str),
    "legal-basis": ("legal_basis", str),
    "review-date": ("review_date", _date),
    "releasable-to": ("releasable_to", str),
    "recipient": ("recipients", str),
    "compartment": ("compartment", str),
}
"""Passerelle's machine tags: predicate -> (Markings field, reader of the quoted value)."""

_PREDICATE_OF = {name: predicate for predicate, (name, _) in PREDICATES.items()}
AXES: Final = ("tlp", "pap", *(name for name, _ in PREDICATES.values()))


@dataclass(frozen=True, slots=True)
class TagReading:
    """The tags of one element: kept whole and in order, with the markings they set and, for
    each marking, the path of the tag that set it (to name it in errors)."""

    kept: list[Any] = field(default_factory=list)
    values: dict[str, Any] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)


def marking_of(name: str, path: str) -> tuple[str, object] | None:
    """The (Markings field, value) a tag sets, None for a tag that is not a marking.

    Raises ``InvalidMisp`` naming ``path`` for an unknown value in a marking namespace.
    """
    lower = name.strip().lower()
    for prefix, levels, label in (("tlp:", TLP_LEVELS, "TLP"), ("pap:", PAP_LEVELS, "PAP")):
        if lower.startswith(prefix):
            level = levels.get(lower[len(prefix):])
            if level is None:
                raise InvalidMisp(f"unknown {label} level {name!r}: Passerelle cannot honour a "
                                  "marking it does not know", field=path)
            return label.lower(), level
    if lower.startswith(f"{NAMESPACE}:"):
        return _machine_tag(name.strip(), path)
    return None


def _machine_tag(name: str, path: str) -> tuple[str, object]:
    found = _MACHINE.match(name)
    known = PREDICATES.get(found.group(1)) if found else None
    if found is None or known is None:
        raise InvalidMisp(f"{name!r} is not one of Passerelle's marking tags "
                          f"({', '.join(PREDICATES)})", field=path)
    text = re.sub(r"\\(.)", r"\1", found.group(2))
    try:
        return known[0], known[1](text)
    except (InvalidMarking, ValueError):
        raise InvalidMisp(f"{text!r} is not a valid {found.group(1)}", field=path) from None


def read_tags(tags: object, path: str) -> TagReading:
    """Read the ``Tag`` list of one element; ``path`` names the list (``Event[0].Tag``)."""
    if tags is None:
        return TagReading()
    if not isinstance(tags, list):
        raise InvalidMisp("must be a list of tags", field=path)
    values: dict[str, Any] = {}
    sources: dict[str, str] = {}
    for index, tag in enumerate(tags):
        name = tag.get("name") if isinstance(tag, dict) else None
        if not isinstance(name, str) or not name.strip():
            raise InvalidMisp("a tag needs a name", field=f"{path}[{index}].name")
        at = f"{path}[{index}].name"
        found = marking_of(name, at)
        if found is not None:
            _set(values, sources, found, at)
    return TagReading(clean_tags(tags), values, sources)


def _set(values: dict[str, Any], sources: dict[str, str], found: tuple[str, object],
         at: str) -> None:
    name, value = found
    if name in SET_FIELDS:
        values[name] = values.get(name, frozenset()) | {value}
    elif name in values and values[name] != value:
        raise InvalidMisp(f"contradicts the tag at {sources.get(name)}: one element has one "
                          f"{name.replace('_', ' ')}", field=at)
    else:
        values[name] = value
    sources.setdefault(name, at)


def combine(readings: Iterable[TagReading]) -> TagReading:
    """The markings of an object from the tags of its attributes (MISP objects carry no tags):
    attributes that disagree on a marking are an error, since a record has one marking."""
    values: dict[str, Any] = {}
    sources: dict[str, str] = {}
    for reading in readings:
        for name, value in reading.values.items():
            if name in values and values[name] != value:
                raise InvalidMisp(f"contradicts the tag at {sources[name]}: Passerelle marks "
                                  "the object as a whole", field=reading.sources[name])
            values[name] = value
            sources.setdefault(name, reading.sources[name])
    return TagReading([], values, sources)


_CAUSE = {"recipients": "tlp", "handling_conditions": "handling_code"}


def build_markings(readings: Iterable[TagReading], *, indicator: bool, where: str) -> Markings:
    """The markings of an element: the domain's defaults, then its event's tags, then its own.

    PAP applies to indicators only: elsewhere a PAP tag is kept as a plain tag.
    """
    merged: dict[str, Any] = {}
    sources: dict[str, str] = {}
    for reading in readings:
        merged.update(reading.values)
        sources.update(reading.sources)
    if not indicator:
        merged.pop("pap", None)
    try:
        return Markings(**merged)
    except InvalidMarking as error:
        cause = _CAUSE.get(error.field or "", error.field or "")
        hint = (" (MISP does not name recipients: add passerelle:recipient tags)"
                if error.field == "recipients" else "")
        raise InvalidMisp(f"{error.detail}{hint}",
                          field=sources.get(cause) or f"{where}.Tag") from None


def current_values(markings: Markings, *, indicator: bool) -> dict[str, Any]:
    """Every marking axis of a record, as tags would carry it."""
    values = {name: getattr(markings, name) for name in AXES if name != "pap"}
    if indicator:
        values["pap"] = markings.pap
    return values


_DEFAULTS: Final = current_values(Markings(), indicator=True)


def implied(tags: list[Any], *, indicator: bool) -> dict[str, Any]:
    """What a reader assumes for an element that carries no marking tag of its own, under
    an event carrying ``tags``."""
    values = current_values(Markings(), indicator=indicator)
    values.update(read_tags(tags, "Tag").values)
    if not indicator:
        values.pop("pap", None)
    return values


def names_for(name: str, value: object) -> list[str]:
    """The canonical tags of one marking axis (none for an empty value, unless the domain's
    default is not empty: an empty purpose must say so)."""
    if value is None or value == frozenset() or (value == "" and _DEFAULTS[name] == ""):
        return []
    if name == "tlp":
        return [f"tlp:{value.value.lower()}"]  # type: ignore[attr-defined]
    if name == "pap":
        return [f"PAP:{value.value}"]  # type: ignore[attr-defined]
    predicate = _PREDICATE_OF[name]
    items = sorted(value) if isinstance(value, frozenset) else [value]
    return [f'{NAMESPACE}:{predicate}="{_quote(_text(item))}"' for item in items]


def _text(value: object) -> str:
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _quote(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


def reconcile(kept: list[Any], markings: Markings, inherited: dict[str, Any] | None, *,
              indicator: bool) -> list[Any]:
    """The tags to write for a record: its kept tags, marking tags re-derived from its
    markings, and tags for the markings that differ from ``inherited`` (what the element would
    get from its event; None writes every marking)."""
    current = current_values(markings, indicator=indicator)
    axis_of = [_axis(tag, indicator) for tag in kept]
    kept_values: dict[str, Any] = {}
    for tag, axis in zip(kept, axis_of, strict=True):
        if axis is not None:
            _set(kept_values, {}, (axis, _parsed(tag)), "")
    out: list[Any] = []
    written: set[str] = set()
    for tag, axis in zip(kept, axis_of, strict=True):
        if axis is None or kept_values[axis] == current[axis]:
            out.append(tag)
        elif axis not in written:
            out.extend({"name": name} for name in names_for(axis, current[axis]))
        if axis is not None:
            written.add(axis)
    for axis, value in current.items():
        if axis not in written and (inherited is None or inherited.get(axis) != value):
            out.extend({"name": name} for name in names_for(axis, value))
    return out


def _axis(tag: Any, indicator: bool) -> str | None:
    name = tag.get("name") if isinstance(tag, dict) else None
    if not isinstance(name, str):
        return None
    try:
        found = marking_of(name, "Tag")
    except InvalidMisp:
        return None
    if found is None or (found[0] == "pap" and not indicator):
        return None
    return found[0]


def _parsed(tag: dict[str, Any]) -> object:
    found = marking_of(tag["name"], "Tag")
    assert found is not None
    return found[1]
