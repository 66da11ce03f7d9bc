"""Markings every record carries, kept apart as the field keeps them apart.

A handling code (SIENA H0-H3) binds the recipient's *use* of the data; TLP 2.0 says *who may be
told*; PAP says *what actions* may be taken on an indicator; the 4x4 grading says *how much to
trust* it. They are separate axes: never derive one from another.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from enum import Enum
from typing import TypeVar

from passerelle.errors import InvalidMarking, ValidationFailed

E = TypeVar("E", bound=Enum)
_NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{0,62}$")


class HandlingCode(str, Enum):
    """Europol SIENA handling codes (Council doc 6261/18)."""

    H0 = "H0"  # use only to prevent and combat crime
    H1 = "H1"  # not to be used in judicial proceedings without the provider's permission
    H2 = "H2"  # not to be passed on without the provider's permission
    H3 = "H3"  # other restrictions, written out in the conditions


class Tlp(str, Enum):
    """FIRST Traffic Light Protocol 2.0: who may be told."""

    RED = "RED"
    AMBER_STRICT = "AMBER+STRICT"
    AMBER = "AMBER"
    GREEN = "GREEN"
    CLEAR = "CLEAR"


class Pap(str, Enum):
    """Permissible Actions Protocol: what may be done with an indicator."""

    RED = "RED"
    AMBER = "AMBER"
    GREEN = "GREEN"
    CLEAR = "CLEAR"


class SourceReliability(str, Enum):
    """Europol 4x4 source evaluation."""

    A = "A"  # no doubt
    B = "B"  # mostly reliable
    C = "C"  # mostly unreliable
    X = "X"  # cannot be assessed


class InformationAccuracy(str, Enum):
    """Europol 4x4 information evaluation."""

    KNOWN_TRUE = "1"  # not in doubt
    KNOWN_TO_SOURCE = "2"  # known personally to the source, not to the official passing it on
    CORROBORATED = "3"  # not known personally to the source, corroborated
    UNCORROBORATED = "4"  # not known personally, not corroborated


class FactOrAssessment(str, Enum):
    """LED Art. 7: personal assessments must be told apart from facts."""

    FACT = "fact"
    ASSESSMENT = "assessment"


def parse_enum(kind: type[E], value: object, field_name: str) -> E:
    """Read ``value`` as a member of ``kind`` or raise an error naming the field and the choices."""
    if isinstance(value, kind):
        return value
    if isinstance(value, str):
        # The value map is what Enum.__call__ consults, without its slow generic path.
        member = kind._value2member_map_.get(value)
        if member is not None:
            return member  # type: ignore[return-value]
    try:
        return kind(value)
    except ValueError:
        choices = ", ".join(str(m.value) for m in kind)
        raise InvalidMarking(f"{value!r} is not one of {choices}", field=field_name) from None


@dataclass(frozen=True, slots=True)
class Markings:
    """Everything that governs use, disclosure and retention of one record.

    Invariants (checked in ``__post_init__``): H3 needs written conditions; ``releasable_to`` holds
    agency ids; ``recipients`` names who may see a TLP:RED record (``user:<id>`` or
    ``agency:<id>``) and must not be empty for TLP:RED; PAP applies to indicators only, which the
    record checks.
    """

    handling_code: HandlingCode = HandlingCode.H0
    handling_conditions: str = ""
    tlp: Tlp = Tlp.AMBER
    pap: Pap | None = None
    source_reliability: SourceReliability = SourceReliability.X
    information_accuracy: InformationAccuracy = InformationAccuracy.UNCORROBORATED
    fact_or_assessment: FactOrAssessment = FactOrAssessment.FACT
    purpose: str = "prevention and combating of terrorism"
    legal_basis: str = ""
    review_date: dt.date | None = None
    releasable_to: frozenset[str] = field(default_factory=frozenset)
    recipients: frozenset[str] = field(default_factory=frozenset)
    compartment: str | None = None

    def __post_init__(self) -> None:
        if self.handling_code is HandlingCode.H3 and not self.handling_conditions.strip():
            raise InvalidMarking(
                "H3 requires the restrictions to be written out", field="handling_conditions"
            )
        if self.tlp is Tlp.RED and not self.recipients:
            raise InvalidMarking("TLP:RED requires named recipients", field="recipients")
        for recipient in self.recipients:
            if not recipient.startswith(("user:", "agency:")):
                raise InvalidMarking(
                    f"{recipient!r} must be 'user:<id>' or 'agency:<id>'", field="recipients"
                )
        if self.compartment is not None and not _NAME.match(self.compartment):
            raise InvalidMarking("lower-case letters, digits, dots, dashes; 1-63 characters",
                                 field="compartment")
        for agency in self.releasable_to:
            if not _NAME.match(agency):
                raise InvalidMarking(f"{agency!r} is not an agency identifier",
                                     field="releasable_to")
        if len(self.purpose) > 2000:
            raise ValidationFailed("at most 2000 characters", field="purpose")

    @property
    def grading(self) -> str:
        """The 4x4 evaluation as written in the field, e.g. ``B2`` (``X4`` when unassessed)."""
        return f"{self.source_reliability.value}{self.information_accuracy.value}"

    def review_overdue(self, today: dt.date) -> bool:
        """True when the review date has passed: the record is blocked until reviewed."""
        return self.review_date is not None and self.review_date < today
