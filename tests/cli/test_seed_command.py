"""``passerelle seed`` and ``passerelle.seeding``: fictional sample data of every shape the
policy distinguishes, reproducible, audited, never in production."""

from __future__ import annotations

import ipaddress
import re
from collections import Counter
from pathlib import Path

import pytest

from passerelle.clock import SystemClock
from passerelle.domain.markings import HandlingCode, Tlp
from passerelle.domain.records import (
    Document,
    DocumentStatus,
    Event,
    Indicator,
    Person,
    Record,
    RecordKind,
    Relationship,
    Report,
)
from passerelle.node import Node
from passerelle.ports import RecordQuery
from passerelle.seeding import DEMO_PASSWORD, DEMO_USERS, planned_counts, seed
from passerelle.settings import Settings
from passerelle.storage import MemoryUnitOfWorkFactory

from .cli_support import SEEDED_PEOPLE, Invoke, node_of


def stored(node: Node, kind: RecordKind | None = None) -> list[Record]:
    kinds = frozenset({kind}) if kind else frozenset()
    with node.transactions() as tx:
        return tx.records.search(RecordQuery(kinds=kinds), None, 1_000_000)


@pytest.fixture(scope="module")
def sample() -> tuple[Node, list[Record]]:
    """A node in memory seeded with 300 people, enough for every marking to appear."""
    settings = Settings(environment="test", agency_id="fr")
    node = Node.build(settings, MemoryUnitOfWorkFactory(b"k" * 32, SystemClock()))
    seed(node, 300, 3, lambda done: None)
    return node, stored(node)


def test_seed_stores_the_planned_number_of_records_of_each_kind(seeded: Path) -> None:
    with node_of(seeded) as node:
        counts = Counter(r.kind for r in stored(node))
    assert counts == planned_counts(SEEDED_PEOPLE)
    assert counts[RecordKind.PERSON] == counts[RecordKind.DOCUMENT] == SEEDED_PEOPLE


def test_every_person_holds_exactly_one_document(sample: tuple[Node, list[Record]]) -> None:
    _, records = sample
    persons = {r.id for r in records if r.kind is RecordKind.PERSON}
    holders = Counter(r.details.holder for r in records if isinstance(r.details, Document))
    holds = Counter(r.details.source for r in records if isinstance(r.details, Relationship)
                    and r.details.relationship_type == "holds")
    assert set(holders) == set(holds) == persons
    assert set(holders.values()) == set(holds.values()) == {1}


def test_relationships_link_people_to_organisations_and_events(
        sample: tuple[Node, list[Record]]) -> None:
    _, records = sample
    by_id = {r.id: r for r in records}
    kinds = Counter((r.details.relationship_type, by_id[r.details.source].kind,
                     by_id[r.details.target].kind)
                    for r in records if isinstance(r.details, Relationship))
    assert set(kinds) == {("holds", RecordKind.PERSON, RecordKind.DOCUMENT),
                          ("member-of", RecordKind.PERSON, RecordKind.ORGANISATION),
                          ("involves", RecordKind.EVENT, RecordKind.PERSON)}
    reports = [r.details for r in records if isinstance(r.details, Report)]
    assert all(reports)
    assert all(by_id[ref].kind is RecordKind.PERSON
                                for report in reports for ref in report.references)
    events = [r.details for r in records if isinstance(r.details, Event)]
    assert all(e.place and e.country and e.participants for e in events)


def test_markings_cover_every_case_the_policy_distinguishes(
        sample: tuple[Node, list[Record]]) -> None:
    _, records = sample
    markings = [r.markings for r in records]
    assert {m.handling_code for m in markings} == set(HandlingCode)
    assert all(m.handling_conditions for m in markings if m.handling_code is HandlingCode.H3)
    assert {m.tlp for m in markings} == {Tlp.GREEN, Tlp.AMBER, Tlp.AMBER_STRICT, Tlp.RED}
    assert all(m.recipients for m in markings if m.tlp is Tlp.RED)
    assert {m.grading for m in markings} >= {"A1", "B2", "C3", "X4"}
    assert {m.fact_or_assessment.value for m in markings} == {"fact", "assessment"}
    assert {a for m in markings for a in m.releasable_to} == {"es", "be", "ma"}
    assert any(m.compartment for m in markings)
    persons = [r.details for r in records if isinstance(r.details, Person)]
    assert len({p.subject_category for p in persons}) == 6
    statuses = {r.details.status for r in records if isinstance(r.details, Document)}
    assert {DocumentStatus.LOST, DocumentStatus.STOLEN} <= statuses


def test_personal_records_get_review_dates_and_a_few_are_overdue(
        sample: tuple[Node, list[Record]]) -> None:
    node, records = sample
    today = node.clock.now().date()
    personal = [r for r in records if r.holds_personal_data]
    assert all(r.markings.review_date for r in personal)
    assert 0 < sum(r.markings.review_overdue(today) for r in personal) < len(personal) / 10


def test_indicators_use_only_documentation_ranges_and_example_domains(
        sample: tuple[Node, list[Record]]) -> None:
    _, records = sample
    patterns = [r.details.pattern for r in records if isinstance(r.details, Indicator)]
    documentation = [ipaddress.ip_network(n) for n in
                     ("192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24")]
    kinds = set()
    for pattern in patterns:
        if match := re.fullmatch(r"\[ipv4-addr:value = '([\d.]+)'\]", pattern):
            kinds.add("ip")
            assert any(ipaddress.ip_address(match[1]) in net for net in documentation)
        elif match := re.fullmatch(r"\[domain-name:value = '([a-z0-9.-]+)'\]", pattern):
            kinds.add("domain")
            assert match[1].endswith(".example")
        else:
            assert re.fullmatch(r"\[file:hashes\.'SHA-256' = '[0-9a-f]{64}'\]", pattern)
            kinds.add("hash")
    assert kinds == {"ip", "domain", "hash"}
    assert all(r.markings.pap for r in records if r.kind is RecordKind.INDICATOR)


def test_seeding_twice_with_the_same_seed_adds_nothing(cli: Invoke, seeded: Path) -> None:
    result = cli("seed", "--people", str(SEEDED_PEOPLE), "--seed", "7")
    assert result.exit_code == 0, result.output
    with node_of(seeded) as node:
        assert Counter(r.kind for r in stored(node)) == planned_counts(SEEDED_PEOPLE)


def test_demo_accounts_log_in_with_the_printed_password(cli: Invoke, seeded: Path) -> None:
    result = cli("seed", "--people", "1", "--seed", "99")
    assert result.exit_code == 0, result.output
    with node_of(seeded) as node:
        for demo in DEMO_USERS:
            assert demo.username in result.output
            user = node.accounts.login(demo.username, DEMO_PASSWORD)
            assert user.roles == {demo.role}
    assert DEMO_PASSWORD in result.output


def test_seed_is_audited_as_the_node_itself(seeded: Path) -> None:
    with node_of(seeded) as node:
        entries = list(node.audit.export(None))
    collections = [e for e in entries if e.action.value == "collection"]
    assert len(collections) == sum(planned_counts(SEEDED_PEOPLE).values())
    assert {e.actor for e in collections} == {"system"}


def test_seed_refuses_a_production_node(cli: Invoke, initialised: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PASSERELLE_ENVIRONMENT", "production")
    monkeypatch.setenv("PASSERELLE_SECRET_KEY", "s" * 40)
    monkeypatch.setenv("PASSERELLE_AUDIT_KEY", "a" * 40)
    result = cli("seed", "--people", "5")
    assert result.exit_code == 2
    assert "forbidden" in result.output
    assert "production" in result.output
