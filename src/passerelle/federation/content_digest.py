"""``Content-Digest`` (RFC 9530): how a signature covers the body without signing the body.

The signature covers the ``content-digest`` header; this module ties that header to the bytes
that actually arrived. Passerelle sends ``sha-256`` and requires it on receipt. A ``sha-512``
digest, if a peer adds one, must match too; algorithms this module does not know (including
the deprecated ``md5`` and ``sha``) are ignored, as RFC 9530 section 2 allows — they can never
stand in for the ``sha-256`` that is required.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable

import http_sf

CONTENT_DIGEST = "content-digest"
REQUIRED_ALGORITHM = "sha-256"
_ALGORITHMS: dict[str, Callable[[bytes], bytes]] = {
    "sha-256": lambda body: hashlib.sha256(body).digest(),
    "sha-512": lambda body: hashlib.sha512(body).digest(),
}


def content_digest(body: bytes) -> str:
    """The ``Content-Digest`` value Passerelle sends: ``sha-256=:<base64>:``."""
    return http_sf.ser({REQUIRED_ALGORITHM: (_ALGORITHMS[REQUIRED_ALGORITHM](body), {})})


def read_digests(value: str) -> dict[str, bytes] | None:
    """The digests of a ``Content-Digest`` value by algorithm (known algorithms only), or
    None if it is not a structured dictionary of byte sequences or lacks ``sha-256``."""
    try:
        parsed = http_sf.parse(value.encode("ascii"), tltype="dictionary")
    except (UnicodeError, http_sf.StructuredFieldError):
        return None
    assert isinstance(parsed, dict)
    digests: dict[str, bytes] = {}
    for algorithm, member in parsed.items():
        item = member[0] if isinstance(member, tuple) else member
        if algorithm in _ALGORITHMS:
            if not isinstance(item, bytes):
                return None
            digests[algorithm] = item
    return digests if REQUIRED_ALGORITHM in digests else None


def digests_match(digests: dict[str, bytes], body: bytes) -> bool:
    """True when every known digest is that of ``body`` (and ``sha-256`` is among them)."""
    if REQUIRED_ALGORITHM not in digests:
        return False
    return all(hmac.compare_digest(_ALGORITHMS[algorithm](body), digest)
               for algorithm, digest in digests.items() if algorithm in _ALGORITHMS)
