"""Partner agencies: who owns a record and who may receive it."""

from __future__ import annotations

import re
from dataclasses import dataclass

from passerelle.errors import ValidationFailed

_ID = re.compile(r"^[a-z][a-z0-9-]{1,62}$")
_COUNTRY = re.compile(r"^[A-Z]{2}$")


@dataclass(frozen=True, slots=True)
class Agency:
    """A partner organisation that runs (or is served by) a node.

    ``eu_member`` decides which transfer law applies: data sent to an agency of a third country
    (``eu_member=False``, e.g. Morocco) needs a recorded legal basis (LED Art. 37/38).
    """

    id: str
    name: str
    country: str
    eu_member: bool

    def __post_init__(self) -> None:
        if not _ID.match(self.id):
            raise ValidationFailed(
                "lower-case letters, digits and dashes, 2-63 characters", field="id"
            )
        if not _COUNTRY.match(self.country):
            raise ValidationFailed("an ISO 3166-1 alpha-2 code such as FR", field="country")
        if not self.name.strip():
            raise ValidationFailed("must not be empty", field="name")

    @property
    def third_country(self) -> bool:
        """True when EU law treats this agency's country as a third country."""
        return not self.eu_member


DEFAULT_AGENCIES: tuple[Agency, ...] = (
    Agency("fr", "France — national Passerelle node", "FR", eu_member=True),
    Agency("es", "España — nodo nacional Passerelle", "ES", eu_member=True),
    Agency("be", "Belgique/België — nœud national Passerelle", "BE", eu_member=True),
    Agency("ma", "Maroc — nœud national Passerelle", "MA", eu_member=False),
)
