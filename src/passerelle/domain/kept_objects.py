"""STIX objects of types Passerelle does not model, kept as received (records of kind
``object``): see ``interop.stix.kept`` for how they are read and written."""

from __future__ import annotations

from dataclasses import dataclass

from passerelle.domain.record_ids import OBJECT_ID, RESERVED_TYPES
from passerelle.errors import ValidationFailed

MAX_OBJECT = 4_000_000
"""Characters of a kept STIX object's JSON text."""


@dataclass(frozen=True, slots=True)
class StixObject:
    """A STIX object of a type Passerelle does not model (a threat actor, a malware, a
    campaign, a partner's custom object...), kept exactly as received and given back unchanged.

    ``content`` is the object's JSON text; its ``type`` and ``id`` are the record's. Its markings
    are enforced like any record's; Passerelle does not read its references or its other
    properties. An individual's ``identity`` kept this way (no data-subject category was sent
    with it) is personal data all the same.
    """

    stix_type: str
    content: str

    def __post_init__(self) -> None:
        if self.stix_type in RESERVED_TYPES or not OBJECT_ID.match(f"{self.stix_type}--"
                                                                      f"{_NIL_UUID}"):
            raise ValidationFailed(f"{self.stix_type!r} is not a STIX type Passerelle keeps "
                                   "as received", field="stix_type")
        if len(self.content) > MAX_OBJECT:
            raise ValidationFailed(f"at most {MAX_OBJECT} characters", field="content")
        if not self.content.startswith("{") or not self.content.rstrip().endswith("}"):
            raise ValidationFailed("must be the JSON text of one STIX object", field="content")

    @property
    def personal(self) -> bool:
        """Whether the object describes an individual (an ``identity`` of class individual)."""
        return self.stix_type == "identity" and '"individual"' in self.content


_NIL_UUID = "00000000-0000-0000-0000-000000000000"
