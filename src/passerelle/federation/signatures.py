"""Signing and verifying node-to-node requests: Passerelle's profile of RFC 9421.

Every request a node sends to a peer carries one signature, labelled and tagged
``passerelle``, that covers::

    "@method" "@authority" "@path" "@query" "content-digest" ["content-type"]

``content-type`` is covered whenever there is a body; ``content-digest`` (RFC 9530, sha-256)
always, an empty body included, so that the body is bound to the signature on every request.
``@authority`` + ``@path`` + ``@query`` are covered rather than ``@target-uri`` because a node
behind a TLS-terminating proxy sees ``http`` where its peer wrote ``https``. The parameters are
``created``, ``expires``, ``keyid``, ``alg="ed25519"``, ``nonce`` and ``tag="passerelle"``; no
``Date`` header is needed.

``verify_request`` refuses, with a distinct ``RejectReason`` each, in this order: no signature
tagged ``passerelle``; unreadable fields; another algorithm; too few components covered;
``created`` outside the allowed clock skew or ``expires`` passed; no ``Content-Digest``;
an unknown key id; a covered header missing; a signature that does not verify; a body that does
not match its digest; a nonce already used. Cheap checks come first; the nonce is claimed last,
once the request is known to be genuine (see ``replay``).

What this does not do: say what a peer may do. It only proves which registered key signed the
request; the caller decides what that peer's agency may read or push.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable
from dataclasses import dataclass

from passerelle.errors import RejectReason, SignatureRejected, ValidationFailed
from passerelle.federation.content_digest import (
    CONTENT_DIGEST,
    content_digest,
    digests_match,
    read_digests,
)
from passerelle.federation.keys import NodeKey, PeerKey
from passerelle.federation.replay import NonceClaim, ReplayGuard
from passerelle.federation.signature_base import (
    HeaderItems,
    RequestParts,
    combined_headers,
    signature_base,
)
from passerelle.federation.signature_headers import (
    SIGNATURE,
    SIGNATURE_INPUT,
    SignatureParams,
    parse_signature_input,
    parse_signatures,
    serialise_signature_input,
    serialise_signatures,
)

LABEL = "passerelle"
TAG = "passerelle"
ALGORITHM = "ed25519"
CONTENT_TYPE = "content-type"
COVERED = ("@method", "@authority", "@path", "@query", CONTENT_DIGEST)
COVERED_WITH_BODY = (*COVERED, CONTENT_TYPE)
DEFAULT_LIFETIME_S = 120
DEFAULT_MAX_SKEW_S = 60
NONCE_LENGTHS = range(16, 129)
_SIGNATURE_BYTES = 64
_REPLACED = frozenset({CONTENT_DIGEST, SIGNATURE_INPUT, SIGNATURE})

PeerLookup = Callable[[str], PeerKey | None]
"""Key id -> the registered peer key, or None. It must return only keys still trusted."""


def new_nonce() -> str:
    """24 url-safe characters from 18 random bytes: collisions are not a concern."""
    return secrets.token_urlsafe(18)


def sign_request(method: str, url: str, headers: HeaderItems, body: bytes, key: NodeKey,
                 now: dt.datetime, nonce: str | None = None, *,
                 lifetime_s: int = DEFAULT_LIFETIME_S) -> dict[str, str]:
    """The headers to add to a request so that a peer accepts it: ``Content-Digest``,
    ``Signature-Input`` and ``Signature`` (replacing any the request already has).

    ``url`` is absolute, with path and query exactly as they will be sent; ``headers`` are
    those that will be sent. A request with a body must have a ``Content-Type``
    (``ValidationFailed`` otherwise), since the signature covers it.
    """
    digest = content_digest(body)
    kept = {n: v for n, v in combined_headers(headers).items() if n not in _REPLACED}
    request = RequestParts.of(method, url, {**kept, CONTENT_DIGEST: digest}, body)
    if body and CONTENT_TYPE not in request.headers:
        raise ValidationFailed("a request with a body needs a Content-Type to be signed",
                               field=CONTENT_TYPE)
    chosen = nonce or new_nonce()
    if len(chosen) not in NONCE_LENGTHS or not (chosen.isascii() and chosen.isprintable()):
        raise ValidationFailed("a nonce has 16 to 128 printable ASCII characters",
                               field="nonce")
    if lifetime_s < 1:
        raise ValidationFailed("a signature must live at least one second", field="lifetime_s")
    created = int(now.timestamp())
    params = SignatureParams(COVERED_WITH_BODY if body else COVERED, (
        ("created", created), ("expires", created + lifetime_s), ("keyid", key.key_id),
        ("alg", ALGORITHM), ("nonce", chosen), ("tag", TAG)))
    signature = key.sign(signature_base(request, params))
    return {"Content-Digest": digest,
            "Signature-Input": serialise_signature_input({LABEL: params}),
            "Signature": serialise_signatures({LABEL: signature})}


@dataclass(frozen=True, slots=True)
class _Claims:
    """The parameters of a Passerelle signature, checked for presence and type."""

    label: str
    params: SignatureParams
    key_id: str
    created: int
    expires: int
    nonce: str


def _ours(request: RequestParts) -> tuple[str, SignatureParams]:
    declared = request.headers.get(SIGNATURE_INPUT)
    if declared is None or SIGNATURE not in request.headers:
        raise SignatureRejected(RejectReason.MISSING_SIGNATURE,
                                "the request carries no Signature-Input and Signature",
                                field=SIGNATURE_INPUT)
    tagged = [(label, params) for label, params in parse_signature_input(declared).items()
              if params.string("tag") == TAG]
    if not tagged:
        raise SignatureRejected(RejectReason.MISSING_SIGNATURE,
                                f'no signature is tagged "{TAG}"', field=SIGNATURE_INPUT)
    if len(tagged) > 1:
        raise SignatureRejected(RejectReason.MALFORMED_SIGNATURE,
                                f'more than one signature is tagged "{TAG}"',
                                field=SIGNATURE_INPUT)
    return tagged[0]


def _claims(label: str, params: SignatureParams) -> _Claims:
    key_id, nonce = params.string("keyid"), params.string("nonce")
    created, expires = params.integer("created"), params.integer("expires")
    if key_id is None or created is None or expires is None or nonce is None:
        raise SignatureRejected(
            RejectReason.MALFORMED_SIGNATURE, "keyid, created, expires and nonce are "
            "required, as string, integer, integer and string", key_id=key_id,
            field=SIGNATURE_INPUT)
    if params.string("alg") != ALGORITHM:
        raise SignatureRejected(RejectReason.UNSUPPORTED_ALGORITHM,
                                f'alg must be "{ALGORITHM}"', key_id=key_id, field="alg")
    if len(nonce) not in NONCE_LENGTHS or expires <= created:
        raise SignatureRejected(
            RejectReason.MALFORMED_SIGNATURE, "the nonce must have 16 to 128 characters and "
            "expires must follow created", key_id=key_id, field=SIGNATURE_INPUT)
    return _Claims(label, params, key_id, created, expires, nonce)


def _check_coverage(claims: _Claims, request: RequestParts) -> None:
    required = COVERED_WITH_BODY if request.body else COVERED
    missing = [name for name in required if name not in claims.params.components]
    if missing:
        raise SignatureRejected(RejectReason.INSUFFICIENT_COVERAGE,
                                f"the signature must cover {', '.join(missing)}",
                                key_id=claims.key_id, field=SIGNATURE_INPUT)


def _check_time(claims: _Claims, now: int, max_skew_s: int) -> None:
    reason, detail = None, ""
    if claims.created < now - max_skew_s:
        reason, detail = RejectReason.STALE, f"created {now - claims.created} s ago"
    elif claims.created > now + max_skew_s:
        reason, detail = RejectReason.FUTURE, f"created {claims.created - now} s ahead"
    elif claims.expires < now:
        reason, detail = RejectReason.EXPIRED, f"expired {now - claims.expires} s ago"
    if reason is not None:
        raise SignatureRejected(reason, f"{detail}; {max_skew_s} s of clock skew allowed",
                                key_id=claims.key_id, field="created")


def _digests(claims: _Claims, request: RequestParts) -> dict[str, bytes]:
    digests = read_digests(request.headers.get(CONTENT_DIGEST, ""))
    if digests is None:
        raise SignatureRejected(RejectReason.MISSING_DIGEST,
                                "no readable sha-256 Content-Digest", key_id=claims.key_id,
                                field=CONTENT_DIGEST)
    return digests


def _peer(claims: _Claims, peers: PeerLookup) -> PeerKey:
    peer = peers(claims.key_id)
    if peer is None:
        raise SignatureRejected(RejectReason.UNKNOWN_KEY, "no peer is registered with this "
                                "key id", key_id=claims.key_id, field="keyid")
    return peer


def _check_signature(claims: _Claims, request: RequestParts, peer: PeerKey) -> None:
    signature = parse_signatures(request.headers[SIGNATURE]).get(claims.label)
    if signature is None:
        raise SignatureRejected(RejectReason.MALFORMED_SIGNATURE,
                                f"no Signature labelled {claims.label}", key_id=claims.key_id,
                                field=SIGNATURE)
    base = signature_base(request, claims.params)
    if len(signature) != _SIGNATURE_BYTES or not peer.verify(signature, base):
        raise SignatureRejected(RejectReason.BAD_SIGNATURE, "the signature does not verify "
                                "with the registered key", key_id=claims.key_id,
                                field=SIGNATURE)


def _claim_nonce(claims: _Claims, replay: ReplayGuard, now: dt.datetime,
                 max_skew_s: int) -> None:
    keep_until = dt.datetime.fromtimestamp(
        min(claims.expires, claims.created + max_skew_s), dt.UTC)
    outcome = replay.claim(claims.key_id, claims.nonce, keep_until, now)
    if outcome is NonceClaim.REPLAYED:
        raise SignatureRejected(RejectReason.REPLAYED, "this nonce was already used",
                                key_id=claims.key_id, field="nonce")
    if outcome is NonceClaim.FULL:
        raise SignatureRejected(RejectReason.REPLAY_MEMORY_FULL, "too many recent requests "
                                "to remember; retry shortly", key_id=claims.key_id,
                                field="nonce")


def verify_request(method: str, url: str, headers: HeaderItems, body: bytes,
                   peers: PeerLookup, now: dt.datetime, replay: ReplayGuard,
                   max_skew_s: int = DEFAULT_MAX_SKEW_S) -> PeerKey:
    """The peer key that signed this request, or ``SignatureRejected`` saying why not.

    ``url`` is the absolute URL as the client addressed it (its ``Host`` header as authority,
    the path and query raw as received); ``headers`` may repeat names; ``body`` is the whole
    body as received. On success the request's nonce has been claimed in ``replay``.
    """
    request = RequestParts.of(method, url, headers, body)
    claims = _claims(*_ours(request))
    _check_coverage(claims, request)
    _check_time(claims, int(now.timestamp()), max_skew_s)
    digests = _digests(claims, request)
    peer = _peer(claims, peers)
    _check_signature(claims, request, peer)
    if not digests_match(digests, body):
        raise SignatureRejected(RejectReason.DIGEST_MISMATCH, "the body does not match its "
                                "Content-Digest", key_id=claims.key_id, field=CONTENT_DIGEST)
    _claim_nonce(claims, replay, now, max_skew_s)
    return peer
