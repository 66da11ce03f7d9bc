"""Where a value sits in a STIX bundle, written the way error messages name it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from passerelle.interop.stix.extensions import Extension


@dataclass(frozen=True, slots=True)
class Place:
    """The path of one STIX object (``objects[3]``, or empty for a lone object).

    Errors name properties by these paths so that an officer importing a partner's bundle can
    find the culprit: ``objects[3].extensions.extension-definition--….date_of_birth``.
    """

    path: str = ""

    def at(self, name: str) -> str:
        """The path of a top-level property (or ``name[2]``, ``a.b``) of the object."""
        return f"{self.path}.{name}" if self.path else name

    def ext(self, extension: Extension, name: str) -> str:
        """The path of a property inside one of Passerelle's extensions."""
        return self.at(f"extensions.{extension.id}.{name}")
