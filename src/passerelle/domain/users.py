"""People who use a node, and the roles that limit what they may do."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import Enum

from passerelle.errors import ValidationFailed

_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")


class Role(str, Enum):
    """Roles are separate duties: an administrator does not read records, an auditor does not
    edit them."""

    ANALYST = "analyst"  # creates, edits, searches and exports records
    REVIEWER = "reviewer"  # reviews records that fall due, reviews hits
    RELEASER = "releaser"  # approves release to partners
    AUDITOR = "auditor"  # searches and exports the audit log (data-protection officer)
    ADMINISTRATOR = "administrator"  # runs the node: users, tokens, settings


@dataclass(frozen=True, slots=True)
class User:
    """A person with an account on a node of ``agency_id``.

    ``compartments`` lists the need-to-know groups the user belongs to.
    """

    id: str
    username: str
    agency_id: str
    roles: frozenset[Role]
    display_name: str = ""
    compartments: frozenset[str] = field(default_factory=frozenset)
    active: bool = True

    def __post_init__(self) -> None:
        if not _USERNAME.match(self.username):
            raise ValidationFailed(
                "2-64 lower-case letters, digits, dots, dashes or underscores", field="username"
            )

    def has(self, role: Role) -> bool:
        """True when the user holds ``role`` and the account is active."""
        return self.active and role in self.roles

    @property
    def principal(self) -> str:
        """How this user is named in TLP:RED recipient lists."""
        return f"user:{self.id}"
