"""The ``next`` cursor: a signed, opaque keyset position.

A cursor says where the previous page ended — ``(date_added, key)`` of its last item — so the
backend resumes with an index seek instead of counting rows, and the server keeps no state per
client. It is signed with HMAC-SHA256 under a server key, and bound to a *scope*: the
endpoint, API root, collection, object, filter and requester it was issued for. So:

- a client cannot forge a position (e.g. to reach past what a filter allows, or to make the
  backend parse a crafted key): any change is a 400, never a crash;
- a cursor of one query, or of another requester, is refused on another query (400) rather
  than silently returning a page of something else;
- cursors stay valid as long as the key does (restarting with a new key invalidates them:
  clients then start again with ``added_after``, which the spec provides for).

Layout, base64url without padding: ``version (1) | scope digest (12) | date_added in
microseconds since the epoch (8, signed) | key (UTF-8) | MAC (16)``. The position is not
encrypted — it reveals only a date and a key the client has already received.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import hmac
import struct

from passerelle.errors import BadRequest
from passerelle.interop.taxii.model import Position

_VERSION = 1
_SCOPE_BYTES = 12
_MAC_BYTES = 16
_HEADER = struct.Struct(">B12sq")
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
MIN_KEY_BYTES = 16
MAX_CURSOR_CHARS = 2048


def scope_of(*parts: str) -> bytes:
    """The digest that binds a cursor to one query: pass every part that defines it."""
    # Length-prefixed: no choice of parts can spell the same text as other parts.
    encoded = "".join(f"{len(part)}:{part}" for part in parts).encode("utf-8", "surrogatepass")
    return hashlib.sha256(encoded).digest()[:_SCOPE_BYTES]


def _micros(moment: dt.datetime) -> int:
    delta = moment.astimezone(dt.UTC) - _EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def _refused(reason: str) -> BadRequest:
    return BadRequest(f"the next cursor is not valid here ({reason}); "
                      "start again without next", field="next")


class CursorCodec:
    """Encodes and checks ``next`` cursors under one server key."""

    def __init__(self, key: bytes) -> None:
        if len(key) < MIN_KEY_BYTES:
            raise ValueError(f"a cursor key needs at least {MIN_KEY_BYTES} bytes")
        self._key = key

    def _mac(self, payload: bytes) -> bytes:
        return hmac.new(self._key, payload, hashlib.sha256).digest()[:_MAC_BYTES]

    def encode(self, position: Position, scope: bytes) -> str:
        """The cursor for ``position`` within ``scope``."""
        payload = (_HEADER.pack(_VERSION, scope, _micros(position.date_added))
                   + position.key.encode("utf-8"))
        token = base64.urlsafe_b64encode(payload + self._mac(payload))
        return token.rstrip(b"=").decode("ascii")

    def decode(self, cursor: str, scope: bytes) -> Position:
        """The position in ``cursor``; ``BadRequest`` (field ``next``) when it was altered,
        made under another key or for another scope."""
        raw = self._raw(cursor)
        payload, mac = raw[:-_MAC_BYTES], raw[-_MAC_BYTES:]
        if not hmac.compare_digest(mac, self._mac(payload)):
            raise _refused("its signature does not match")
        version, cursor_scope, micros = _HEADER.unpack_from(payload)
        if version != _VERSION:
            raise _refused("unknown cursor version")
        if not hmac.compare_digest(cursor_scope, scope):
            raise _refused("it was issued for another query")
        try:
            moment = _EPOCH + dt.timedelta(microseconds=micros)
            key = payload[_HEADER.size:].decode("utf-8")
        except (OverflowError, UnicodeDecodeError):
            raise _refused("its position cannot be read") from None
        return Position(moment, key)

    @staticmethod
    def _raw(cursor: str) -> bytes:
        if len(cursor) > MAX_CURSOR_CHARS or not cursor.isascii():
            raise _refused("it is not a cursor of this server")
        try:
            raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        except (binascii.Error, ValueError):
            raise _refused("it is not base64url") from None
        if len(raw) < _HEADER.size + _MAC_BYTES:
            raise _refused("it is too short")
        return raw
