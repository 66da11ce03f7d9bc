"""Peers: the partner nodes this node trusts, one registered public key each.

A ``Peer`` is what an administrator registered: the agency that runs a partner node, the key
that node signs its requests with (``federation.keys.PeerKey``) and where that node serves
TAXII. An agency may have several keys registered at once, so that it can rotate its key
without a gap: partners register the new key next to the old one, then revoke the old one.

A revoked key stays in the registry (with the time it was revoked) and is never trusted again;
its key id is not reused. Nothing here checks signatures or reads the database.
"""

from __future__ import annotations

import base64
import datetime as dt
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from passerelle.errors import ValidationFailed
from passerelle.federation.keys import PeerKey

KEY_ID_MAX = 64
BASE_URL_MAX = 2000
_KEY_ID = re.compile(rf"^[A-Za-z0-9._~:+/=-]{{1,{KEY_ID_MAX}}}$")


def check_key_id(key_id: str) -> str:
    """``key_id`` when it fits the registry: 1-64 characters among letters, digits and
    ``. _ ~ : + / = -`` (a derived key id has 22, base64url). It is written into the
    ``keyid`` parameter of every signature, so it must survive there unquoted and unescaped."""
    if not _KEY_ID.match(key_id):
        raise ValidationFailed(f"1-{KEY_ID_MAX} letters, digits or . _ ~ : + / = -",
                               field="key_id")
    return key_id


def check_base_url(url: str) -> str:
    """The partner node's TAXII base URL, normalised to end with ``/`` (TAXII URLs do).

    Only ``http`` and ``https`` with a host are accepted, without credentials, query or
    fragment: the URL is where this node sends signed requests, and a password in it would be
    shown by every listing. ``ValidationFailed`` names ``base_url``.
    """
    text = url.strip()
    try:
        parts = urlsplit(text)
        port_ok = parts.port is None or parts.port > 0
    except ValueError:
        raise ValidationFailed("not a URL", field="base_url") from None
    if parts.scheme not in ("http", "https") or not parts.hostname or not port_ok:
        raise ValidationFailed("an http:// or https:// URL with a host, such as "
                               "https://es.passerelle.example/taxii2/", field="base_url")
    if parts.username is not None or parts.password is not None:
        raise ValidationFailed("must not carry credentials", field="base_url")
    if parts.query or parts.fragment or text.endswith(("?", "#")):
        raise ValidationFailed("must not carry a query or a fragment", field="base_url")
    if len(text) > BASE_URL_MAX or any(c.isspace() for c in text):
        raise ValidationFailed(f"at most {BASE_URL_MAX} characters, no spaces",
                               field="base_url")
    return text if text.endswith("/") else text + "/"


@dataclass(frozen=True, slots=True)
class Peer:
    """One registered key of a partner node.

    ``public_key_b64`` is the raw 32-byte Ed25519 key in standard base64 (44 characters), the
    form both sides print. ``added_by`` is the audit log's name of the administrator who
    registered it. A peer with ``revoked_at`` set must not be trusted: use ``active``.
    """

    agency_id: str
    key_id: str
    public_key_b64: str
    base_url: str
    added_at: dt.datetime
    added_by: str
    revoked_at: dt.datetime | None = None

    def __post_init__(self) -> None:
        check_key_id(self.key_id)
        self.as_key()  # refuses a key that is not 32 bytes of base64

    @property
    def active(self) -> bool:
        """True until the key is revoked."""
        return self.revoked_at is None

    def as_key(self) -> PeerKey:
        """The key that verifies this peer's signatures."""
        return PeerKey.parse(self.agency_id, self.public_key_b64, self.key_id)

    @classmethod
    def of(cls, key: PeerKey, base_url: str, added_at: dt.datetime, added_by: str) -> Peer:
        """A new registration of ``key``, served at ``base_url`` (checked and normalised)."""
        raw_b64 = base64.b64encode(key.public_raw).decode("ascii")
        return cls(key.agency_id, key.key_id, raw_b64, check_base_url(base_url), added_at,
                   added_by)
