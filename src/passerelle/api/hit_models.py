"""Wire models of screening, the review queue and hits, and their conversions from the domain.

A screening job tells its submitter counts only (``ScreeningJobOut``): never an alert, a
category or a traveller, so that a covert check does not show to whoever provided the list.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from passerelle.domain.codec import dataclass_to_dict, record_to_dict
from passerelle.domain.hits import (
    Candidate,
    CandidateStatus,
    CheckSource,
    Direction,
    HitMessage,
    HitReport,
    JobStatus,
    MessageKind,
    ScreeningJob,
    Sighting,
)
from passerelle.matching.model import Band, PersonEntry
from passerelle.services.hits import Deadlines
from passerelle.services.review import ReviewItem

TRAVELLER_EXAMPLE: dict[str, Any] = {"id": "PAX-0042", "full_name": "يوسف بن علي",
                     "date_of_birth": "1994-11-03", "nationality": ["MA"],
                     "document_number": "MA4471200", "document_country": "MA"}
SIGHTING_EXAMPLE: dict[str, Any] = {
    "found_at": "2026-12-06T09:40:00Z", "place": "Tanger Med port, passenger terminal",
    "reason_of_check": "ferry passenger list screening (Algeciras - Tanger Med)",
    "action_taken": "discreet check: documents and luggage seen, not detained",
    "route": "Algeciras -> Tanger Med", "destination": "Fès",
    "companions": ["one adult travelling on the same booking"],
    "vehicle": "grey estate car, Spanish plates", "objects_carried": ["two mobile phones"]}


class Traveller(BaseModel):
    """One traveller of a list, in the fields of the screening CSV contract
    (docs/screening.md). Names may be in any script."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [TRAVELLER_EXAMPLE]})

    id: str = Field(min_length=1, max_length=200, description="The list's own id of the row")
    full_name: str = Field("", max_length=4096)
    given_name: str = Field("", max_length=4096)
    family_name: str = Field("", max_length=4096)
    name_original_script: str = Field("", max_length=4096)
    aliases: list[str] = Field(default_factory=list, max_length=50)
    date_of_birth: str = Field("", max_length=10, description="YYYY, YYYY-MM or YYYY-MM-DD")
    place_of_birth: str = Field("", max_length=4096)
    nationality: list[str] = Field(default_factory=list, max_length=10)
    document_number: str = Field("", max_length=64)
    document_country: str = Field("", max_length=64)

    def entry(self) -> PersonEntry:
        """As the matcher reads it."""
        return PersonEntry(
            id=self.id, full_name=self.full_name, given_name=self.given_name,
            family_name=self.family_name, name_original_script=self.name_original_script,
            aliases=tuple(self.aliases), date_of_birth=self.date_of_birth,
            place_of_birth=self.place_of_birth, nationalities=tuple(self.nationality),
            document_number=self.document_number, document_country=self.document_country)


class ScreeningCreate(BaseModel):
    """A list of travellers to screen against every alert this node holds."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "name": "AT 0981 Paris-Casablanca 2026-12-06",
        "travellers": [TRAVELLER_EXAMPLE]}]})

    name: str = Field(min_length=1, max_length=200, description="What the list is")
    travellers: list[Traveller] = Field(min_length=1, max_length=100_000)


class ScreeningJobOut(BaseModel):
    """How far a screening job got. Counts only: which alerts matched is for reviewers."""

    id: str = Field(examples=["screening--2f0c4b8e-6a1d-4c3e-9b7a-5d2e8f1a3c64"])
    name: str
    status: JobStatus
    total: int = Field(description="Travellers in the list")
    done: int = Field(description="Travellers screened so far")
    candidates: int = Field(description="Checks sent to the review queue")
    submitted_at: dt.datetime
    finished_at: dt.datetime | None
    error: str


def job_out(job: ScreeningJob) -> ScreeningJobOut:
    """The submitter's view of a job."""
    return ScreeningJobOut(id=job.id, name=job.name, status=job.status, total=job.total,
                           done=job.done, candidates=job.candidates,
                           submitted_at=job.submitted_at, finished_at=job.finished_at,
                           error=job.error)


class FeatureOut(BaseModel):
    """One piece of the matcher's evidence: the field, its weight in bits, in words."""

    field: str
    weight: float
    text: str


class CandidateOut(BaseModel):
    """A candidate side by side with the alert and its subject, for the reviewer."""

    id: str
    status: CandidateStatus
    source: CheckSource
    query: dict[str, Any] = Field(description="The check as made: the traveller as listed, "
                                              "or the partner's record")
    score: float
    band: Band | None
    explanation: str = Field(description="The evidence, strongest first")
    features: list[FeatureOut]
    alert_id: str
    alert_version: int
    issuer: str
    covert: bool = Field(description="A discreet, inquiry or specific check: the person and "
                                     "the list's provider must not learn of it")
    alert: dict[str, Any] | None = Field(description="The alert as held now, if visible")
    subject: dict[str, Any] | None = Field(description="Its subject as held now, if visible")
    job_id: str | None
    row: int | None
    created_at: dt.datetime
    reviewed_by: str
    reviewed_at: dt.datetime | None
    justification: str
    hit_id: str | None


def candidate_out(item: ReviewItem) -> dict[str, Any]:
    """The reviewer's view of one candidate."""
    c: Candidate = item.candidate
    return CandidateOut(
        id=c.id, status=c.status, source=c.source, query=c.query, score=c.score,
        band=Band.of(c.score), explanation=c.explanation,
        features=[FeatureOut(field=f.field, weight=f.weight, text=f.text) for f in c.features],
        alert_id=c.alert_id, alert_version=c.alert_version, issuer=c.issuer,
        covert=item.covert,
        alert=record_to_dict(item.alert) if item.alert is not None else None,
        subject=record_to_dict(item.subject) if item.subject is not None else None,
        job_id=c.job_id, row=c.row, created_at=c.created_at, reviewed_by=c.reviewed_by,
        reviewed_at=c.reviewed_at, justification=c.justification,
        hit_id=c.hit_id).model_dump(mode="json")


class CandidatePage(BaseModel):
    """A page of the review queue."""

    items: list[CandidateOut]
    next_cursor: str | None
    counts: dict[CandidateStatus, int] = Field(description="Candidates per status")


class SightingIn(BaseModel):
    """What the finder reports of the encounter (SIS/SIRENE hit form)."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [SIGHTING_EXAMPLE]})

    found_at: dt.datetime = Field(description="When the person or document was found")
    place: str = Field(min_length=1, max_length=2000)
    reason_of_check: str = Field(min_length=1, max_length=2000)
    action_taken: str = Field(min_length=1, max_length=2000)
    route: str = Field("", max_length=2000)
    destination: str = Field("", max_length=2000)
    companions: list[str] = Field(default_factory=list, max_length=100)
    vehicle: str = Field("", max_length=2000)
    objects_carried: list[str] = Field(default_factory=list, max_length=100)
    remarks: str = Field("", max_length=2000)

    def sighting(self) -> Sighting:
        """The domain's sighting (its checks name the field at fault)."""
        return Sighting(found_at=self.found_at, place=self.place,
                        reason_of_check=self.reason_of_check, action_taken=self.action_taken,
                        route=self.route, destination=self.destination,
                        companions=tuple(self.companions), vehicle=self.vehicle,
                        objects_carried=tuple(self.objects_carried), remarks=self.remarks)


class Decision(BaseModel):
    """A reviewer's reasons."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "justification": "different date of birth and place of birth: a namesake"}]})

    justification: str = Field(min_length=1, max_length=2000,
                               description="Why (at least 10 characters); audited")


class Confirmation(Decision):
    """A confirmed match, and the hit report for the issuer."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "justification": "same name in Arabic script, same birth date with day and month "
                         "swapped, same nationality: the alert's subject",
        "sighting": SIGHTING_EXAMPLE}]})

    sighting: SightingIn


class MessageIn(BaseModel):
    """An acknowledgement (text optional) or a reply (text required)."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "text": "Received. Our liaison officer will call your bureau within the hour."}]})

    text: str = Field("", max_length=2000)


class MessageOut(BaseModel):
    """An acknowledgement or a reply about a hit."""

    id: str
    hit_id: str
    kind: MessageKind
    agency: str
    author: str
    text: str
    at: dt.datetime


class HitOut(BaseModel):
    """A hit report with its messages and its reply deadline."""

    id: str
    direction: Direction
    alert_id: str
    issuer: str
    finder: str
    sighting: dict[str, Any]
    reported_by: str
    reported_at: dt.datetime
    reply_due: dt.datetime
    answered_at: dt.datetime | None
    overdue: bool
    messages: list[MessageOut]


def message_out(message: HitMessage) -> MessageOut:
    """The wire form of a message."""
    return MessageOut(id=message.id, hit_id=message.hit_id, kind=message.kind,
                      agency=message.agency, author=message.author, text=message.text,
                      at=message.at)


def hit_out(report: HitReport, now: dt.datetime) -> dict[str, Any]:
    """The wire form of a hit report."""
    return HitOut(
        id=report.id, direction=report.direction, alert_id=report.alert_id,
        issuer=report.issuer, finder=report.finder,
        sighting=dataclass_to_dict(report.sighting), reported_by=report.reported_by,
        reported_at=report.reported_at, reply_due=report.reply_due,
        answered_at=report.answered_at, overdue=report.overdue(now),
        messages=[message_out(m) for m in report.messages]).model_dump(mode="json")


class HitPage(BaseModel):
    """A page of hits."""

    items: list[HitOut]
    next_cursor: str | None


class DeadlinesOut(BaseModel):
    """Hits waiting for the issuer's answer (12 hours), on both sides."""

    received_unanswered: int
    received_overdue: int
    sent_unanswered: int
    sent_overdue: int
    overdue: list[str] = Field(description="Ids of the overdue hits, oldest first")


def deadlines_out(deadlines: Deadlines) -> DeadlinesOut:
    """Counts and the overdue ids."""
    return DeadlinesOut(received_unanswered=deadlines.received_unanswered,
                        received_overdue=deadlines.received_overdue,
                        sent_unanswered=deadlines.sent_unanswered,
                        sent_overdue=deadlines.sent_overdue,
                        overdue=[h.id for h in deadlines.overdue])
