"""Alerts and hits in the domain: what an alert may be on, when it applies, what a sighting
must say, when a hit falls overdue, and what a node may receive."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from passerelle.domain.agencies import DEFAULT_AGENCIES
from passerelle.domain.hits import (
    REPLY_DEADLINE,
    Direction,
    HitMessage,
    HitReport,
    MessageKind,
    Sighting,
    check_justification,
)
from passerelle.domain.markings import Markings, Tlp
from passerelle.domain.policy import decide_receipt
from passerelle.domain.records import (
    Alert,
    AlertCategory,
    AlertStatus,
    Person,
    Record,
    SubjectCategory,
)
from passerelle.errors import ValidationFailed

T0 = dt.datetime(2026, 12, 6, 9, 0, tzinfo=dt.UTC)
PERSON = f"person--{uuid.uuid4()}"
DOCUMENT = f"document--{uuid.uuid4()}"


def alert(category: AlertCategory = AlertCategory.DISCREET_CHECK, subject: str = PERSON,
          **changes: object) -> Alert:
    fields: dict[str, object] = {"category": category, "subject": subject,
                                 "action": "report the encounter", "valid_from": T0,
                                 "valid_until": T0 + dt.timedelta(days=30), **changes}
    return Alert(**fields)  # type: ignore[arg-type]


def test_a_document_to_seize_is_on_a_document_and_the_others_on_a_person() -> None:
    assert alert(AlertCategory.DOCUMENT_TO_SEIZE, DOCUMENT).subject == DOCUMENT
    with pytest.raises(ValidationFailed) as on_person:
        alert(AlertCategory.DOCUMENT_TO_SEIZE, PERSON)
    assert on_person.value.field == "subject"
    with pytest.raises(ValidationFailed) as on_document:
        alert(AlertCategory.ARREST, DOCUMENT)
    assert on_document.value.field == "subject"


@pytest.mark.parametrize(("changes", "field"), [
    ({"action": " "}, "action"),
    ({"valid_until": T0}, "valid_until"),
    ({"valid_from": T0.replace(tzinfo=None)}, "valid_from"),
    ({"subject": "person--not-a-uuid"}, "subject"),
])
def test_a_malformed_alert_is_refused_naming_the_field(changes: dict[str, object],
                                                      field: str) -> None:
    with pytest.raises(ValidationFailed) as refused:
        alert(**changes)  # type: ignore[arg-type]
    assert refused.value.field == field


def test_an_alert_applies_within_its_validity_until_withdrawn() -> None:
    active = alert()
    assert not active.active_at(T0 - dt.timedelta(seconds=1))
    assert active.active_at(T0)
    assert not active.active_at(T0 + dt.timedelta(days=30))
    assert not alert(status=AlertStatus.WITHDRAWN).active_at(T0)


def test_the_three_checks_are_covert() -> None:
    covert = {c for c in AlertCategory if alert(c, DOCUMENT if c is
                                                AlertCategory.DOCUMENT_TO_SEIZE else PERSON).covert}
    assert covert == {AlertCategory.DISCREET_CHECK, AlertCategory.INQUIRY_CHECK,
                      AlertCategory.SPECIFIC_CHECK}


def test_an_alert_record_holds_personal_data_and_points_at_its_subject() -> None:
    record = Record(f"alert--{uuid.uuid4()}", "fr", Markings(), alert())
    assert record.holds_personal_data
    assert record.references == (PERSON,)


@pytest.mark.parametrize(("changes", "field"), [
    ({"place": ""}, "place"),
    ({"reason_of_check": " "}, "reason_of_check"),
    ({"found_at": T0.replace(tzinfo=None)}, "found_at"),
    ({"companions": ("",)}, "companions[0]"),
    ({"objects_carried": tuple("x" for _ in range(101))}, "objects_carried"),
    ({"remarks": "x" * 2001}, "remarks"),
])
def test_a_sighting_says_where_why_and_what_was_done(changes: dict[str, object],
                                                    field: str) -> None:
    fields: dict[str, object] = {"found_at": T0, "place": "Tanger Med",
                                 "reason_of_check": "ferry list", "action_taken": "none",
                                 **changes}
    with pytest.raises(ValidationFailed) as refused:
        Sighting(**fields)  # type: ignore[arg-type]
    assert refused.value.field == field


def test_a_hit_is_overdue_twelve_hours_after_it_was_reported_unless_answered() -> None:
    hit = HitReport(f"hit--{uuid.uuid4()}", "alert--1", "fr", "ma",
                    Sighting(T0, "Tanger Med", "ferry list", "none"), "user:u-1", T0,
                    Direction.RECEIVED)
    assert hit.reply_due == T0 + REPLY_DEADLINE == T0 + dt.timedelta(hours=12)
    assert not hit.overdue(T0 + dt.timedelta(hours=12))
    assert hit.overdue(T0 + dt.timedelta(hours=12, seconds=1))
    answered = HitReport(**{**{f: getattr(hit, f) for f in HitReport.__dataclass_fields__},
                            "answered_at": T0 + dt.timedelta(hours=1)})
    assert not answered.overdue(T0 + dt.timedelta(days=2))
    assert hit.partner == "ma"


def test_a_reply_needs_words_and_an_acknowledgement_does_not() -> None:
    HitMessage("message--1", "hit--1", MessageKind.ACKNOWLEDGEMENT, "fr", "user:u", "", T0)
    with pytest.raises(ValidationFailed) as empty:
        HitMessage("message--2", "hit--1", MessageKind.REPLY, "fr", "user:u", " ", T0)
    assert empty.value.field == "text"
    with pytest.raises(ValidationFailed) as short:
        check_justification("namesake")
    assert short.value.field == "justification"


def test_a_node_receives_only_what_names_its_agency() -> None:
    person = Person(SubjectCategory.SUSPECT, "Ilse", "Vandermeulen")

    def received(markings: Markings, agency: str) -> bool:
        return bool(decide_receipt(Record(f"person--{uuid.uuid4()}", "be", markings, person),
                                   agency))

    red = Markings(tlp=Tlp.RED, releasable_to=frozenset({"es", "ma"}),
                   recipients=frozenset({"agency:es"}))
    assert received(red, "es")
    assert not received(red, "ma")
    assert not received(Markings(releasable_to=frozenset({"es"})), "ma")
    assert not received(Markings(releasable_to=frozenset({"ma"}), compartment="op-x"), "ma")
    assert {a.id for a in DEFAULT_AGENCIES} >= {"fr", "es", "be", "ma"}
