"""Why the user consults personal data: stated once, kept for the session and the case.

The audit log requires a justification for every consultation of personal data (LED Art. 25).
A browser user states it on the purpose page — the case reference and the reason — before any
page shows personal data; the pages then pass it to the services as the caller's
justification (``"<case>: <reason>"``) until the user changes it or the session ends.

The purpose travels in a cookie of its own, signed (HMAC-SHA256 under a key derived from the
node's secret) and bound to the user, so that it cannot be forged or carried to another
account. It holds no secret: only what the user typed.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
from dataclasses import dataclass

from passerelle.errors import ValidationFailed

COOKIE = "passerelle_purpose"
MAX_CASE = 100
MAX_REASON = 900


@dataclass(frozen=True, slots=True)
class Purpose:
    """A case reference and the reason for consulting personal data in it."""

    case: str
    reason: str

    def __post_init__(self) -> None:
        if not self.case.strip():
            raise ValidationFailed("name the case (file or operation reference)", field="case")
        if len(self.case) > MAX_CASE:
            raise ValidationFailed(f"at most {MAX_CASE} characters", field="case")
        if len(self.reason.strip()) < 4:
            raise ValidationFailed("say why you consult personal data (at least 4 characters)",
                                   field="reason")
        if len(self.reason) > MAX_REASON:
            raise ValidationFailed(f"at most {MAX_REASON} characters", field="reason")

    @property
    def justification(self) -> str:
        """As the services and the audit log take it."""
        return f"{self.case.strip()}: {self.reason.strip()}"


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class PurposeSigner:
    """Seals a ``Purpose`` for one user into a cookie value, and opens it again."""

    def __init__(self, secret_key: str) -> None:
        self._key = hmac.new(secret_key.encode(), b"passerelle purpose cookie v1",
                             hashlib.sha256).digest()

    def _mac(self, payload: str) -> bytes:
        return hmac.new(self._key, payload.encode(), hashlib.sha256).digest()

    def seal(self, user_id: str, purpose: Purpose) -> str:
        """The cookie value."""
        payload = _b64(json.dumps([user_id, purpose.case, purpose.reason],
                                  ensure_ascii=False).encode())
        return f"{payload}.{_b64(self._mac(payload))}"

    def open(self, user_id: str, value: str) -> Purpose | None:
        """The purpose sealed for ``user_id``, or None (absent, forged, another user's)."""
        payload, _, mac = value.partition(".")
        try:
            if not hmac.compare_digest(_unb64(mac), self._mac(payload)):
                return None
            owner, case, reason = json.loads(_unb64(payload).decode())
            purpose = Purpose(str(case), str(reason))
        except (binascii.Error, ValueError, TypeError, UnicodeError, ValidationFailed):
            return None
        return purpose if owner == user_id else None
