"""The one exception tree of Passerelle.

Every error a user can meet carries a stable ``code`` (documented in docs/errors.md), an HTTP
``status`` and, where it applies, the ``field`` at fault. The API renders all of them as RFC 9457
problem+json through a single handler; the CLI prints them and exits non-zero.

::

    PasserelleError                       500 internal
    ├── ValidationFailed                  422 validation_failed      (field named)
    │   ├── InvalidMarking                422 invalid_marking
    │   ├── InvalidDate                   422 invalid_date
    │   ├── InvalidStix                   422 invalid_stix
    │   ├── InvalidCsv                    422 invalid_csv
    │   ├── InvalidMisp                   422 invalid_misp
    │   └── InvalidKey                    422 invalid_key
    ├── BadRequest                        400 bad_request
    │   ├── JustificationRequired         400 justification_required
    │   ├── UnsupportedMediaType          415 unsupported_media_type
    │   ├── NotAcceptable                 406 not_acceptable
    │   └── PayloadTooLarge               413 payload_too_large
    ├── AuthenticationRequired            401 authentication_required
    │   └── SignatureRejected             401 signature_rejected (reason named)
    ├── Forbidden                         403 forbidden
    │   ├── ReviewOverdue                 403 review_overdue
    │   └── NoLegalBasis                  403 no_legal_basis
    ├── NotFound                          404 not_found
    ├── Conflict                          409 conflict
    │   ├── VersionConflict               409 version_conflict
    │   └── AlreadyReviewed               409 already_reviewed
    └── AuditChainBroken                  500 audit_chain_broken

Do not raise bare ``ValueError`` across a module boundary: wrap it in one of these so that the
caller gets a code and a field.
"""

from __future__ import annotations

from enum import StrEnum
from typing import ClassVar


class PasserelleError(Exception):
    """Base of every error Passerelle raises on purpose."""

    code: ClassVar[str] = "internal"
    status: ClassVar[int] = 500
    title: ClassVar[str] = "Internal error"

    def __init__(self, detail: str, *, field: str | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.field = field

    def __str__(self) -> str:
        if self.field:
            return f"{self.field}: {self.detail}"
        return self.detail


class ValidationFailed(PasserelleError):
    """Input that is well-formed but breaks a rule of the domain."""

    code = "validation_failed"
    status = 422
    title = "Invalid input"


class InvalidMarking(ValidationFailed):
    """An unknown or inconsistent marking (handling code, TLP, PAP, grading...)."""

    code = "invalid_marking"
    title = "Invalid marking"


class InvalidDate(ValidationFailed):
    """A malformed or impossible date."""

    code = "invalid_date"
    title = "Invalid date"


class InvalidStix(ValidationFailed):
    """A STIX object that cannot be read or mapped."""

    code = "invalid_stix"
    title = "Invalid STIX"


class InvalidCsv(ValidationFailed):
    """A CSV file that cannot be read as a whole: empty, not UTF-8, a required column missing.

    Problems of single rows are not errors: readers report them row by row and go on.
    """

    code = "invalid_csv"
    title = "Invalid CSV file"


class InvalidMisp(ValidationFailed):
    """A MISP event (core format 2.4) that cannot be read or mapped.

    Problems of the document as a whole (not JSON, no event) are raised; problems of single
    attributes, objects and references are reported item by item, naming the element.
    """

    code = "invalid_misp"
    title = "Invalid MISP event"


class InvalidKey(ValidationFailed):
    """Key material that cannot be used: not an Ed25519 key, malformed PEM or base64, or a
    private key file that others may read."""

    code = "invalid_key"
    title = "Invalid key"


class BadRequest(PasserelleError):
    """A request that cannot be processed as sent."""

    code = "bad_request"
    status = 400
    title = "Bad request"


class JustificationRequired(BadRequest):
    """Consulting personal data without stating why (LED Art. 25)."""

    code = "justification_required"
    title = "Justification required"


class UnsupportedMediaType(BadRequest):
    """A body in a content type the endpoint does not accept."""

    code = "unsupported_media_type"
    status = 415
    title = "Unsupported media type"


class NotAcceptable(BadRequest):
    """The client accepts no media type the endpoint can answer in (TAXII's ``Accept``)."""

    code = "not_acceptable"
    status = 406
    title = "Not acceptable"


class PayloadTooLarge(BadRequest):
    """A body larger than the configured limit."""

    code = "payload_too_large"
    status = 413
    title = "Payload too large"


class AuthenticationRequired(PasserelleError):
    """No valid credentials were presented."""

    code = "authentication_required"
    status = 401
    title = "Authentication required"


class RejectReason(StrEnum):
    """Why a peer node's signed request was refused; stable, listed in docs/federation.md.

    Audits and metrics branch on these; the wording of the detail may change, these may not.
    """

    MISSING_SIGNATURE = "missing_signature"
    MALFORMED_SIGNATURE = "malformed_signature"
    UNSUPPORTED_ALGORITHM = "unsupported_algorithm"
    INSUFFICIENT_COVERAGE = "insufficient_coverage"
    MISSING_COMPONENT = "missing_component"
    MISSING_DIGEST = "missing_digest"
    STALE = "stale"
    FUTURE = "future"
    EXPIRED = "expired"
    UNKNOWN_KEY = "unknown_key"
    BAD_SIGNATURE = "bad_signature"
    DIGEST_MISMATCH = "digest_mismatch"
    REPLAYED = "replayed"
    REPLAY_MEMORY_FULL = "replay_memory_full"


class SignatureRejected(AuthenticationRequired):
    """A request from a peer node whose HTTP message signature (RFC 9421) does not hold.

    ``reason`` says which check failed; ``key_id`` is the key the request claimed, when it got
    that far (it is a claim, not an identity: never trust it for anything but the audit).
    """

    code = "signature_rejected"
    title = "Signature rejected"

    def __init__(self, reason: RejectReason, detail: str, *, key_id: str | None = None,
                 field: str | None = None) -> None:
        super().__init__(f"{detail} ({reason})", field=field)
        self.reason = reason
        self.key_id = key_id


class Forbidden(PasserelleError):
    """The policy or the caller's roles forbid the action."""

    code = "forbidden"
    status = 403
    title = "Forbidden"


class ReviewOverdue(Forbidden):
    """A record whose review date has passed is blocked until it is reviewed (LED Art. 5)."""

    code = "review_overdue"
    title = "Review overdue"


class NoLegalBasis(Forbidden):
    """Personal data would leave for a partner abroad without a recorded legal basis (LED
    Chapter V, Law 09-08 Art. 43-44)."""

    code = "no_legal_basis"
    title = "No legal basis"


class NotFound(PasserelleError):
    """Nothing the caller may see exists under that identifier."""

    code = "not_found"
    status = 404
    title = "Not found"


class Conflict(PasserelleError):
    """The request clashes with what is stored."""

    code = "conflict"
    status = 409
    title = "Conflict"


class VersionConflict(Conflict):
    """An edit based on a version that is no longer the latest."""

    code = "version_conflict"
    title = "Version conflict"


class AlreadyReviewed(Conflict):
    """A candidate that a reviewer has already confirmed or dismissed."""

    code = "already_reviewed"
    title = "Already reviewed"


class AuditChainBroken(PasserelleError):
    """The hash chain of the audit log does not verify."""

    code = "audit_chain_broken"
    title = "Audit chain broken"


ALL_ERRORS: tuple[type[PasserelleError], ...] = (
    PasserelleError,
    ValidationFailed,
    InvalidMarking,
    InvalidDate,
    InvalidStix,
    InvalidCsv,
    InvalidMisp,
    InvalidKey,
    BadRequest,
    JustificationRequired,
    UnsupportedMediaType,
    NotAcceptable,
    PayloadTooLarge,
    AuthenticationRequired,
    SignatureRejected,
    Forbidden,
    ReviewOverdue,
    NoLegalBasis,
    NotFound,
    Conflict,
    VersionConflict,
    AlreadyReviewed,
    AuditChainBroken,
)
