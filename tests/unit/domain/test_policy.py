"""Named examples of each policy rule; the property tests cover random combinations."""

from __future__ import annotations

import dataclasses
import datetime as dt

from passerelle.domain.agencies import Agency
from passerelle.domain.markings import HandlingCode, Markings, Tlp
from passerelle.domain.policy import Action, decide, decide_release
from passerelle.domain.records import (
    Organisation,
    Person,
    Record,
    RecordKind,
    SubjectCategory,
    new_record_id,
)
from passerelle.domain.users import Role, User

TODAY = dt.date(2026, 11, 22)
FR = Agency("fr", "France", "FR", eu_member=True)
ES = Agency("es", "Spain", "ES", eu_member=True)
MA = Agency("ma", "Morocco", "MA", eu_member=False)


def user(agency: str = "fr", *roles: Role, uid: str = "u1",
         compartments: frozenset[str] = frozenset()) -> User:
    return User(uid, f"user-{uid}", agency, frozenset(roles or {Role.ANALYST}),
                compartments=compartments)


def person(owner: str = "fr", **markings: object) -> Record:
    return Record(new_record_id(RecordKind.PERSON), owner,
                  Markings(**markings),  # type: ignore[arg-type]
                  Person(SubjectCategory.SUSPECT, "Samira", "Haddad"), created_by="author")


def test_analyst_of_owner_agency_reads_an_ordinary_record() -> None:
    assert decide(user(), person(), Action.READ, TODAY)


def test_compartment_limits_a_record_to_its_members() -> None:
    record = person(compartment="op-lumiere")
    assert not decide(user(), record, Action.READ, TODAY)
    member = user(compartments=frozenset({"op-lumiere"}))
    assert decide(member, record, Action.READ, TODAY)


def test_tlp_red_is_limited_to_named_recipients() -> None:
    record = person(tlp=Tlp.RED, recipients=frozenset({"user:u2"}))
    assert not decide(user(uid="u1"), record, Action.READ, TODAY)
    assert decide(user(uid="u2"), record, Action.READ, TODAY)


def test_tlp_red_author_keeps_access() -> None:
    record = person(tlp=Tlp.RED, recipients=frozenset({"user:u2"}))
    assert decide(user(uid="author"), record, Action.READ, TODAY)


def test_record_of_another_agency_needs_release_to_the_readers_agency() -> None:
    record = person(owner="es", releasable_to=frozenset({"be"}))
    assert not decide(user("fr"), record, Action.READ, TODAY)
    assert decide(user("be"), record, Action.READ, TODAY)


def test_only_the_owner_agency_edits_its_records() -> None:
    record = person(owner="es", releasable_to=frozenset({"fr"}))
    assert not decide(user("fr"), record, Action.EDIT, TODAY)


def test_auditor_and_administrator_do_not_read_records() -> None:
    for role in (Role.AUDITOR, Role.ADMINISTRATOR):
        verdict = decide(user("fr", role), person(), Action.READ, TODAY)
        assert not verdict
        assert verdict.code == "role"


def test_overdue_review_blocks_consultation_but_not_review() -> None:
    record = person(review_date=TODAY - dt.timedelta(days=1))
    verdict = decide(user(), record, Action.READ, TODAY)
    assert not verdict
    assert verdict.code == "review_overdue"
    assert decide(user("fr", Role.REVIEWER), record, Action.REVIEW, TODAY)


def test_disabled_account_may_do_nothing() -> None:
    disabled = dataclasses.replace(user(), active=False)
    assert not decide(disabled, person(), Action.READ, TODAY)


def test_release_follows_releasability() -> None:
    record = person(releasable_to=frozenset({"es"}))
    assert decide_release(record, FR, ES)
    assert not decide_release(record, FR, MA)


def test_compartmented_record_is_never_released() -> None:
    record = person(releasable_to=frozenset({"es"}), compartment="op-lumiere")
    assert not decide_release(record, FR, ES)


def test_h2_record_is_not_forwarded_without_consent() -> None:
    record = person(owner="fr", releasable_to=frozenset({"es", "ma"}), tlp=Tlp.GREEN,
                    handling_code=HandlingCode.H2)
    assert not decide_release(record, ES, MA)
    assert decide_release(record, ES, MA, consents=frozenset({"ma"}))


def test_amber_record_received_from_a_partner_is_not_passed_on() -> None:
    record = person(owner="fr", releasable_to=frozenset({"es", "ma"}), tlp=Tlp.AMBER)
    assert not decide_release(record, ES, MA)


def test_tlp_red_is_released_only_to_named_agencies() -> None:
    record = person(releasable_to=frozenset({"es", "ma"}), tlp=Tlp.RED,
                    recipients=frozenset({"agency:es"}))
    assert decide_release(record, FR, ES)
    assert not decide_release(record, FR, MA)


def test_non_personal_record_follows_the_same_rules() -> None:
    record = Record(new_record_id(RecordKind.ORGANISATION), "fr",
                    Markings(compartment="op-lumiere"), Organisation("Fictional Group"))
    assert not decide(user(), record, Action.READ, TODAY)
