"""The keys of peer trust: this node's Ed25519 signing key and the public keys of its peers.

A node signs every request it sends to a peer with its ``NodeKey``; the peer checks the
signature with the ``PeerKey`` it registered for that node. A key is named by a *key id*
derived from the public key itself (base64url of the first 16 bytes of SHA-256 over the raw
32-byte public key), so that two nodes can never disagree on which key an id names and a
rotated key gets a new id without any registry.

The private key lives in one PEM file (PKCS#8, unencrypted) that only its owner may read:
``save`` creates it with mode 0600 and never overwrites, ``load`` refuses a file that the group
or others may read, as ``ssh`` does, because a signing key others have read is no longer the
node's alone. Everything else here is pure.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from passerelle.errors import Conflict, InvalidKey

RAW_PUBLIC_KEY_BYTES = 32
_KEY_ID_BYTES = 16
_PEM_MARK = "-----BEGIN"


def key_id_of(public_key: Ed25519PublicKey) -> str:
    """The key id of ``public_key``: base64url, unpadded, of SHA-256(raw key)[:16] (22
    characters). Stable across PEM re-encodings, since only the raw key is hashed."""
    digest = hashlib.sha256(_raw(public_key)).digest()[:_KEY_ID_BYTES]
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def _raw(public_key: Ed25519PublicKey) -> bytes:
    return public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def _public_pem(public_key: Ed25519PublicKey) -> str:
    return public_key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()


class NodeKey:
    """This node's Ed25519 private key and its key id.

    Do not log or pickle it; hand peers ``public_pem()`` or ``public_raw_b64()`` only. The
    ``key_id`` argument exists for interoperability tests with published vectors, whose ids
    are not derived: a node's own key always uses the derived id.
    """

    __slots__ = ("_private", "key_id")

    def __init__(self, private_key: Ed25519PrivateKey, key_id: str | None = None) -> None:
        self._private = private_key
        self.key_id = key_id or key_id_of(private_key.public_key())

    def __repr__(self) -> str:
        return f"NodeKey(key_id={self.key_id!r})"

    @classmethod
    def generate(cls) -> NodeKey:
        """A fresh key from the operating system's random source."""
        return cls(Ed25519PrivateKey.generate())

    @classmethod
    def from_pem(cls, pem: bytes, *, key_id: str | None = None,
                 field: str = "private_key") -> NodeKey:
        """Read a PKCS#8 PEM private key; ``InvalidKey`` naming ``field`` if it is not an
        unencrypted Ed25519 private key."""
        try:
            private = serialization.load_pem_private_key(pem, password=None)
        except TypeError as exc:
            raise InvalidKey("the private key is encrypted; store it unencrypted with mode "
                             "0600", field=field) from exc
        except (ValueError, UnsupportedAlgorithm) as exc:
            raise InvalidKey("not a PEM private key", field=field) from exc
        if not isinstance(private, Ed25519PrivateKey):
            raise InvalidKey("not an Ed25519 key", field=field)
        return cls(private, key_id)

    def sign(self, data: bytes) -> bytes:
        """The 64-byte Ed25519 signature of ``data`` (deterministic, RFC 8032)."""
        return self._private.sign(data)

    @property
    def public_key(self) -> Ed25519PublicKey:
        """The public half."""
        return self._private.public_key()

    def public_pem(self) -> str:
        """The public key as SubjectPublicKeyInfo PEM: what a peer registers."""
        return _public_pem(self.public_key)

    def public_raw_b64(self) -> str:
        """The raw 32-byte public key, standard base64 (44 characters)."""
        return base64.b64encode(_raw(self.public_key)).decode("ascii")

    def as_peer(self, agency_id: str) -> PeerKey:
        """How a peer that knows this node as ``agency_id`` sees its key."""
        return PeerKey(agency_id, self.key_id, _raw(self.public_key))

    def private_pem(self) -> bytes:
        """PKCS#8 PEM, unencrypted. Only ``save`` should need this."""
        return self._private.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption())

    def save(self, path: Path) -> None:
        """Write the key to a new file of mode 0600.

        Refuses (``Conflict``) to overwrite an existing file: replacing a node's key silently
        would cut it off from every peer. The file is created exclusively, so two concurrent
        ``passerelle init`` cannot both win.
        """
        try:
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError as exc:
            raise Conflict(f"{path} already exists; a node key is never overwritten",
                           field="key_file") from exc
        except OSError as exc:
            raise Conflict(f"cannot create {path}: {exc.strerror}", field="key_file") from exc
        with os.fdopen(descriptor, "wb") as file:
            os.fchmod(file.fileno(), 0o600)  # the umask may have removed the owner's bits
            file.write(self.private_pem())
            file.flush()
            os.fsync(file.fileno())

    @classmethod
    def load(cls, path: Path) -> NodeKey:
        """Read the key ``save`` wrote. ``Conflict`` if the file is missing (run ``passerelle
        init``); ``InvalidKey`` if the group or others may read it, or it holds no Ed25519
        private key."""
        try:
            mode = path.stat().st_mode
            if mode & (stat.S_IRWXG | stat.S_IRWXO):
                raise InvalidKey(
                    f"{path} is accessible to the group or others (mode "
                    f"{stat.S_IMODE(mode):04o}); run `chmod 600 {path}`", field="key_file")
            pem = path.read_bytes()
        except FileNotFoundError as exc:
            raise Conflict(f"no node key at {path}; run `passerelle init`",
                           field="key_file") from exc
        except OSError as exc:
            raise Conflict(f"cannot read {path}: {exc.strerror}", field="key_file") from exc
        return cls.from_pem(pem, field="key_file")


def ensure_node_key(path: Path) -> tuple[NodeKey, bool]:
    """The key at ``path``, created first if there is none; True when it was created.

    For ``passerelle init``, which must be safe to run again: a second run keeps the key.
    """
    try:
        return NodeKey.load(path), False
    except Conflict:
        if path.exists():
            raise
    key = NodeKey.generate()
    key.save(path)
    return key, True


@dataclass(frozen=True, slots=True)
class PeerKey:
    """The public key a peer node signs with, and the agency that runs that node.

    Verifying a signature proves the request came from the holder of this key; the
    ``agency_id`` is what the registration of this key says about who that is. The key is
    kept as its raw 32 bytes, so that a ``PeerKey`` compares, hashes and stores as plain data.
    """

    agency_id: str
    key_id: str
    public_raw: bytes

    def __post_init__(self) -> None:
        if len(self.public_raw) != RAW_PUBLIC_KEY_BYTES:
            raise InvalidKey(f"a raw Ed25519 key has {RAW_PUBLIC_KEY_BYTES} bytes, not "
                             f"{len(self.public_raw)}", field="public_key")

    @classmethod
    def parse(cls, agency_id: str, public_key: str, key_id: str | None = None) -> PeerKey:
        """From a SubjectPublicKeyInfo PEM or the raw 32-byte key in base64 (standard or
        url-safe). ``key_id`` defaults to the derived id; when given it must not be empty.
        Errors name the field: ``agency_id``, ``public_key`` or ``key_id``."""
        if not agency_id.strip():
            raise InvalidKey("must not be empty", field="agency_id")
        text = public_key.strip()
        key = _from_pem(text) if text.startswith(_PEM_MARK) else _from_raw_b64(text)
        if key_id is not None and not key_id.strip():
            raise InvalidKey("must not be empty", field="key_id")
        return cls(agency_id, key_id or key_id_of(key), _raw(key))

    @property
    def public_key(self) -> Ed25519PublicKey:
        """The key as a ``cryptography`` object."""
        return Ed25519PublicKey.from_public_bytes(self.public_raw)

    def verify(self, signature: bytes, data: bytes) -> bool:
        """True when ``signature`` is this key's Ed25519 signature of ``data``."""
        try:
            self.public_key.verify(signature, data)
        except InvalidSignature:
            return False
        return True

    def public_pem(self) -> str:
        """The key as SubjectPublicKeyInfo PEM."""
        return _public_pem(self.public_key)

    def public_raw_b64(self) -> str:
        """The raw 32-byte key, standard base64."""
        return base64.b64encode(self.public_raw).decode("ascii")


def _from_pem(text: str) -> Ed25519PublicKey:
    try:
        key = serialization.load_pem_public_key(text.encode("ascii"))
    except (ValueError, UnicodeError, UnsupportedAlgorithm) as exc:
        raise InvalidKey("not a PEM public key", field="public_key") from exc
    if not isinstance(key, Ed25519PublicKey):
        raise InvalidKey("not an Ed25519 public key", field="public_key")
    return key


def _from_raw_b64(text: str) -> Ed25519PublicKey:
    standard = text.replace("-", "+").replace("_", "/")
    try:
        raw = base64.b64decode(standard + "=" * (-len(standard) % 4), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise InvalidKey("neither PEM nor base64", field="public_key") from exc
    if len(raw) != RAW_PUBLIC_KEY_BYTES:
        raise InvalidKey(f"a raw Ed25519 key has {RAW_PUBLIC_KEY_BYTES} bytes, not {len(raw)}",
                         field="public_key")
    return Ed25519PublicKey.from_public_bytes(raw)
