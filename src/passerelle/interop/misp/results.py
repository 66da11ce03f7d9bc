"""What reading MISP events gives back: one outcome per element, and notes on what was set aside.

Nothing is stored here: the caller's service decides, in one transaction, whether to keep the
records of an import whose other elements failed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from passerelle.domain.records import Record
from passerelle.errors import PasserelleError


@dataclass(frozen=True, slots=True)
class MispItem:
    """One element of an event (the event itself, an attribute, an object, an object reference)
    and what became of it: a record, or an error whose ``field`` names the element and property.

    ``where`` names the element as a path in the document, e.g. ``Event[0].Attribute[3]`` or
    ``Event[0].Object[1].ObjectReference[0]``.
    """

    where: str
    record: Record | None = None
    error: PasserelleError | None = None


@dataclass(frozen=True, slots=True)
class MispImport:
    """Every element read from a MISP document, in dependency order (what a record refers to
    comes before it; each event's report comes last), and notes on what was not imported
    (proposals, correlations, deleted attributes...)."""

    items: list[MispItem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def records(self) -> list[Record]:
        """The records read, in order."""
        return [item.record for item in self.items if item.record is not None]

    @property
    def errors(self) -> list[PasserelleError]:
        """The errors, in order."""
        return [item.error for item in self.items if item.error is not None]
