"""Wire models of the API, in pydantic v2, and their conversions from the domain.

Records are the exception to "pydantic validates": a record's markings and details are read by
``domain.codec`` — the one strict reader that STIX imports, the CLI and storage also use — so
that the same mistake gets the same code and field name whichever way it arrives. The record
models here therefore *describe* the canonical form for OpenAPI (types, enums, formats,
required fields) with fields typed ``Any``; a test checks they list exactly the dataclass fields.
Everything else (users, tokens, sessions) is validated by pydantic, with strict numbers and
booleans: ``"1"`` or ``1.0`` for a count is a client bug to report, not to guess around.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, WithJsonSchema

from passerelle.api.record_schemas import (
    DetailsWire,
    Markings,
    details_schema,
    example_alert,
    example_person,
)
from passerelle.domain.agencies import Agency
from passerelle.domain.audit import AuditAction, AuditEntry, ChainReport
from passerelle.domain.records import RecordKind
from passerelle.domain.users import Role, User
from passerelle.ports import ApiToken
from passerelle.services.imports import ImportStatus

Details = Annotated[dict[str, Any], WithJsonSchema(details_schema())]


class Problem(BaseModel):
    """RFC 9457 problem details, the one error shape of the API."""

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "type": "urn:passerelle:problem:invalid_marking", "title": "Invalid marking",
        "status": 422, "detail": "'PURPLE' is not one of RED, AMBER+STRICT, AMBER, GREEN, CLEAR",
        "code": "invalid_marking", "field": "markings.tlp"}]})

    type: str = Field(description="`urn:passerelle:problem:<code>`")
    title: str = Field(description="Short, human-readable summary of the kind of problem")
    status: int = Field(description="The HTTP status code")
    detail: str = Field(description="What went wrong with this request, for people")
    code: str = Field(description="Stable machine-readable code; see docs/api.md")
    field: str | None = Field(None, description="Dotted path of the input at fault, if any")


_PROBLEM_TEXT: dict[int, tuple[str, str]] = {
    400: ("Malformed request, or justification missing", "justification_required"),
    401: ("No valid API token or session", "authentication_required"),
    403: ("Your roles or the record's markings forbid it", "forbidden"),
    404: ("Not found, or not visible to you", "not_found"),
    409: ("The request conflicts with what is stored", "version_conflict"),
    413: ("The body is larger than the node accepts", "payload_too_large"),
    415: ("The body is not JSON", "unsupported_media_type"),
    422: ("Invalid input; `field` names it", "validation_failed"),
}


def problems_for(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The documented error responses of an operation (rendered as problem+json by app)."""
    documented: dict[int | str, dict[str, Any]] = {}
    for status in statuses:
        description, code = _PROBLEM_TEXT[status]
        documented[status] = {"model": Problem, "description": description, "content": {
            "application/json": {"example": {
                "type": f"urn:passerelle:problem:{code}", "title": description,
                "status": status, "detail": description, "code": code, "field": None}}}}
    return documented


class Health(BaseModel):
    """Liveness of the node."""

    status: Literal["ok"] = "ok"


class RecordCreate(BaseModel):
    """A new record: its kind, markings and details in the canonical form."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "kind": "person", "markings": {"tlp": "AMBER", "handling_code": "H1"},
        "details": example_person()}, {
        "kind": "alert", "markings": {"tlp": "AMBER", "handling_code": "H2"},
        "details": example_alert()}]})

    kind: RecordKind = Field(description="Decides which schema `details` follows")
    markings: Markings = Field(default_factory=Markings,
                               description="Omitted markings take their defaults")
    details: Details = Field(description="The details of a record of `kind`")


class RecordUpdate(BaseModel):
    """A new version of a record: the complete markings and details, and the version read."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "version": 1, "markings": {"tlp": "AMBER"}, "details": example_person()}]})

    version: StrictInt = Field(ge=1, le=2**31 - 1,
                         description="The version you edited; 409 if it is no longer the latest")
    kind: RecordKind | None = Field(None, description="Optional; must match the record's kind")
    markings: Markings = Field(default_factory=Markings)
    details: Details


class ReviewCreate(BaseModel):
    """A reviewer's confirmation that a record is still needed."""

    model_config = ConfigDict(extra="forbid",
                              json_schema_extra={"examples": [{"review_date": "2031-01-15"}]})

    review_date: str = Field(json_schema_extra={"format": "date"}, max_length=32,
                             description="The next review date, in the future")


class RecordOut(BaseModel):
    """One version of a record in the canonical form (``domain.codec.record_to_dict``)."""

    id: str = Field(examples=["person--7b3e9d52-1c4f-4a8e-9f0b-2d6c8e1a5b73"])
    kind: RecordKind
    version: int
    owner_agency: str = Field(examples=["fr"])
    created_at: dt.datetime
    modified_at: dt.datetime
    created_by: str
    modified_by: str
    markings: Markings
    details: DetailsWire
    extras: str = Field("", description="What the record's source (a STIX producer, MISP) said "
                        "that Passerelle does not model, as JSON text keyed by format; kept and "
                        "written back on export in that format. Empty for most records.")


class RecordPage(BaseModel):
    """One page of a search; pass ``next_cursor`` as ``cursor`` for the next one."""

    items: list[RecordOut]
    next_cursor: str | None = Field(description="null on the last page")


class RecordHistory(BaseModel):
    """Every version of a record, oldest first."""

    items: list[RecordOut]


class StixBundle(BaseModel):
    """A STIX 2.1 bundle; each object is read on its own and reported on its own."""

    model_config = ConfigDict(extra="allow", json_schema_extra={"examples": [{
        "type": "bundle", "id": "bundle--5d0092c5-5f74-4287-9642-33f4c354e56d",
        "objects": []}]})

    type: Literal["bundle"]
    id: str = Field(max_length=200)
    objects: list[dict[str, Any]] = Field(default_factory=list, max_length=1_000_000,
                                          description="Absent in an empty bundle")


class ImportResult(BaseModel):
    """The fate of the object at ``index`` in the bundle's ``objects``."""

    index: int = Field(description="Position in the bundle's `objects`")
    id: str | None = Field(description="The record's id, when the object is one")
    stix_id: str | None = Field(description="The object's STIX id, as sent")
    status: ImportStatus | Literal["context"] = Field(
        description="`context`: describes other objects (markings, identities); not a record")
    code: str | None = Field(description="The problem code when rejected")
    field: str | None = Field(description="The field at fault when rejected")
    detail: str | None


class ImportReport(BaseModel):
    """Per-object outcomes of a bulk import, in input order, and their totals."""

    results: list[ImportResult]
    totals: dict[str, int] = Field(examples=[{"created": 2, "rejected": 1}])


class MispImportResult(BaseModel):
    """The fate of one element of the MISP document (an attribute, an object, a reference, an
    event's report)."""

    where: str = Field(examples=["Event[0].Attribute[3]"],
                       description="The element, as the document nests it")
    id: str | None = Field(description="The record's id")
    status: ImportStatus
    code: str | None = Field(description="The problem code when rejected")
    field: str | None = Field(description="The element and property at fault when rejected")
    detail: str | None


class MispImportReport(BaseModel):
    """Per-element outcomes of a MISP import, in document order, their totals, and notes on
    what was not imported (proposals, correlations, deleted elements)."""

    results: list[MispImportResult]
    totals: dict[str, int] = Field(examples=[{"created": 39}])
    notes: list[str]


class SessionCreate(BaseModel):
    """Credentials for a browser session."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "username": "analyst.dupont", "password": "correct horse battery staple"}]})

    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=1024)


class UserOut(BaseModel):
    """An account of this node (never its password)."""

    id: str
    username: str = Field(examples=["analyst.dupont"])
    agency_id: str
    roles: list[Role]
    display_name: str
    compartments: list[str]
    active: bool


class UserCreate(BaseModel):
    """A new account of this node's agency."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "username": "analyst.haddad", "roles": ["analyst"],
        "password": "a long passphrase of words", "display_name": "Leïla Haddad"}]})

    username: str = Field(min_length=2, max_length=64,
                          description="Lower-case letters, digits, dots, dashes, underscores")
    roles: list[Role] = Field(max_length=5)
    password: str | None = Field(None, max_length=1024,
                                 description="At least 12 characters; omit for token-only use")
    display_name: str = Field("", max_length=200)
    compartments: list[str] = Field([], max_length=100)


class UserUpdate(BaseModel):
    """Changes to an account; omitted fields stay as they are."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "active": False}]})

    roles: list[Role] | None = Field(None, max_length=5)
    active: StrictBool | None = None
    compartments: list[str] | None = Field(None, max_length=100)
    password: str | None = Field(None, max_length=1024)


class TokenOut(BaseModel):
    """An API token as listed (never its secret)."""

    id: str
    name: str
    created_at: dt.datetime
    expires_at: dt.datetime | None
    revoked_at: dt.datetime | None


class TokenCreate(BaseModel):
    """A request for a new API token."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "name": "nightly STIX export", "days": 90}]})

    name: str = Field(min_length=1, max_length=100)
    days: StrictInt | None = Field(None, ge=1, le=3650,
                                   description="Lifetime; omit for no expiry")
    username: str | None = Field(None, max_length=64,
                                 description="Whose token; administrators only, default you")


class IssuedToken(TokenOut):
    """A new token with its secret, which is shown this once and never again."""

    secret: str = Field(examples=["psl_3q2-7wJk..."])


class AgencyOut(BaseModel):
    """A partner agency known to this node."""

    id: str = Field(examples=["ma"])
    name: str
    country: str
    eu_member: bool


class AuditEntryOut(BaseModel):
    """One sealed entry of the audit log."""

    seq: int
    at: dt.datetime
    action: AuditAction
    actor: str
    agency_id: str
    record_id: str | None
    justification: str
    details: dict[str, Any]
    prev_hash: str
    hash: str


class AuditPage(BaseModel):
    """A page of audit entries; pass ``next_cursor`` as ``after`` for the next one."""

    items: list[AuditEntryOut]
    next_cursor: str | None


class ChainReportOut(BaseModel):
    """The verification of the audit chain."""

    ok: bool
    checked: int
    broken_seq: int | None
    problem: str


def user_out(user: User) -> UserOut:
    """The wire form of a user."""
    return UserOut(id=user.id, username=user.username, agency_id=user.agency_id,
                   roles=sorted(user.roles, key=lambda r: r.value),
                   display_name=user.display_name, compartments=sorted(user.compartments),
                   active=user.active)


def token_out(token: ApiToken) -> TokenOut:
    """The wire form of a token."""
    return TokenOut(id=token.id, name=token.name, created_at=token.created_at,
                    expires_at=token.expires_at, revoked_at=token.revoked_at)


def agency_out(agency: Agency) -> AgencyOut:
    """The wire form of an agency."""
    return AgencyOut(id=agency.id, name=agency.name, country=agency.country,
                     eu_member=agency.eu_member)


def audit_entry_out(entry: AuditEntry) -> dict[str, Any]:
    """The wire form of an audit entry, JSON-ready (also one NDJSON line of the export)."""
    at = entry.at.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")
    return {"seq": entry.seq, "at": at,
            "action": entry.action.value, "actor": entry.actor, "agency_id": entry.agency_id,
            "record_id": entry.record_id, "justification": entry.justification,
            "details": entry.details, "prev_hash": entry.prev_hash, "hash": entry.hash}


def chain_report_out(report: ChainReport) -> ChainReportOut:
    """The wire form of a chain verification."""
    return ChainReportOut(ok=report.ok, checked=report.checked, broken_seq=report.broken_seq,
                          problem=report.problem)
