"""Who is asking, and why."""

from __future__ import annotations

from dataclasses import dataclass

from passerelle.domain.policy import Action, may_act
from passerelle.domain.users import User
from passerelle.errors import Forbidden, JustificationRequired, ValidationFailed

MAX_JUSTIFICATION = 1000


@dataclass(frozen=True, slots=True)
class Caller:
    """A user acting through the API, the web pages or the CLI, with the justification they
    gave for this request (LED Art. 25: mandatory to consult personal data)."""

    user: User
    justification: str = ""

    def __post_init__(self) -> None:
        if len(self.justification) > MAX_JUSTIFICATION:
            raise ValidationFailed(f"at most {MAX_JUSTIFICATION} characters",
                                   field="justification")

    @property
    def actor(self) -> str:
        """How the audit log names the caller."""
        return self.user.principal

    def require(self, action: Action) -> None:
        """Refuse outright an action the caller's account or roles never allow, rather than
        answering with a silently empty result (searches, exports, imports)."""
        verdict = may_act(self.user, action)
        if not verdict:
            raise Forbidden(verdict.reason)

    def require_justification(self) -> str:
        """The justification, or an error telling how to give one."""
        text = self.justification.strip()
        if len(text) < 4:
            raise JustificationRequired(
                "state why you consult personal data (header Passerelle-Justification, "
                "at least 4 characters)", field="justification")
        return text
