"""Password and token secrets: only their hashes are ever stored.

Passwords use scrypt with a per-password salt (slow on purpose); API tokens are long random
secrets, so a single SHA-256 suffices and lets the node find a token by its hash.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

TOKEN_PREFIX = "psl_"  # noqa: S105 — a public prefix, not a secret
_SCRYPT = {"n": 2**14, "r": 8, "p": 1, "dklen": 32}


def hash_password(password: str) -> str:
    """``scrypt$<salt>$<hash>``, both base64."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, **_SCRYPT)
    return "scrypt$" + base64.b64encode(salt).decode() + "$" + base64.b64encode(digest).decode()


def check_password(password: str, stored: str) -> bool:
    """Constant-time comparison against a stored hash; False for anything malformed."""
    try:
        scheme, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        expected = base64.b64decode(digest)
        actual = hashlib.scrypt(password.encode(), salt=base64.b64decode(salt),
                                **_SCRYPT)
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(actual, expected)


def new_token_secret() -> str:
    """A fresh API token secret, shown once to its owner."""
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def hash_token(secret: str) -> str:
    """How a token secret is stored and looked up."""
    return hashlib.sha256(secret.encode()).hexdigest()
