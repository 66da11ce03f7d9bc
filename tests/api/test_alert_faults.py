"""Bad input and faults around alerts and hits: a malformed traveller list, a hit report for an
alert nobody issued, a second confirmation, a reviewer without the role, and the issuer's node
offline when a hit is confirmed (delivered when it returns, nothing lost)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from alert_federation import Federation, four_nodes, shared_with, youssef
from api_support import problem

from passerelle.domain.hits import Direction, HitReport, Sighting
from passerelle.domain.records import RecordKind
from passerelle.federation.outbox import OutboxSender
from passerelle.interop.stix.hits import hit_object
from passerelle.ports import RecordQuery

TARGET = {"id": "PAX-1", "full_name": "يوسف الإدريسي", "date_of_birth": "1991-07-04",
          "nationality": ["MA"]}
SIGHTING = {"found_at": "2026-12-06T09:40:00Z", "place": "Tanger Med port",
            "reason_of_check": "ferry passenger list screening",
            "action_taken": "discreet check, the person was not told"}
CONFIRMATION = {"justification": "same person: name, swapped birth date, nationality",
                "sighting": SIGHTING}


@pytest.fixture
def federation(tmp_path: Path, template: tuple[Path, dict[str, str]]) -> Iterator[Federation]:
    yield from four_nodes(tmp_path, template[0])


def candidate_at_ma(federation: Federation) -> dict[str, Any]:
    """fr's alert pushed to ma, a one-passenger list screened there: its candidate."""
    federation.raise_alert("fr", youssef(), shared_with("es", "be", "ma"))
    federation.push("fr")
    response = federation.client("ma").post(
        "/api/v1/screenings", headers=federation.headers("ma", "analyst"),
        json={"name": "AT 0981", "travellers": [TARGET]})
    assert response.status_code == 202, response.text
    federation.screen("ma")
    queue = federation.client("ma").get("/api/v1/candidates",
                                        headers=federation.headers("ma", "reviewer")).json()
    [candidate] = queue["items"]
    return dict(candidate)


def test_a_list_with_a_bad_row_is_refused_whole_naming_the_row(federation: Federation) -> None:
    client, headers = federation.client("ma"), federation.headers("ma", "analyst")
    csv = ("id,full_name,date_of_birth\nPAX-1,Amina Haddad,1990-02-11\n"
           "PAX-2,Omar Ziani,1990-13-45\n")
    response = client.post("/api/v1/screenings?name=AT%200981", content=csv.encode(),
                           headers={**headers, "Content-Type": "text/csv"})
    problem(response, 422, "invalid_csv", "row 3.date_of_birth")
    nameless = client.post("/api/v1/screenings", headers=headers, json={
        "name": "AT 0981", "travellers": [TARGET, {"id": "PAX-2", "date_of_birth": "1990"}]})
    problem(nameless, 422, "validation_failed", "travellers[1].full_name")
    twice = client.post("/api/v1/screenings", headers=headers,
                        json={"name": "AT 0981", "travellers": [TARGET, TARGET]})
    problem(twice, 422, "validation_failed", "travellers[1].id")
    unnamed = client.post("/api/v1/screenings", content=b"id,full_name\nPAX-1,Amina Haddad\n",
                          headers={**headers, "Content-Type": "text/csv"})
    problem(unnamed, 422, "validation_failed", "name")
    plain = client.post("/api/v1/screenings", content=b"PAX-1",
                        headers={**headers, "Content-Type": "text/plain"})
    problem(plain, 415, "unsupported_media_type", "Content-Type")
    unjustified = client.post("/api/v1/screenings", json={"name": "x", "travellers": [TARGET]},
                              headers=federation.headers("ma", "analyst", justification=""))
    problem(unjustified, 400, "justification_required")
    with federation.nodes["ma"].transactions() as tx:
        assert tx.screening.jobs(frozenset(), 10) == []


def test_a_csv_list_is_screened_like_a_json_one(federation: Federation) -> None:
    federation.raise_alert("fr", youssef(), shared_with("ma"))
    federation.push("fr")
    csv = ("id,full_name,date_of_birth,nationality\n"
           "PAX-1,يوسف الإدريسي,1991-07-04,MA\nPAX-2,Amina Haddad,1990-02-11,FR\n")
    response = federation.client("ma").post(
        "/api/v1/screenings?name=AT%200981", content=csv.encode(),
        headers={**federation.headers("ma", "analyst"), "Content-Type": "text/csv"})
    assert response.status_code == 202, response.text
    assert response.json()["total"] == 2
    federation.screen("ma")
    job = federation.client("ma").get(response.headers["Location"],
                                      headers=federation.headers("ma", "analyst")).json()
    assert (job["status"], job["done"], job["candidates"]) == ("done", 2, 1)


def test_a_hit_report_for_an_alert_fr_never_issued_is_refused(federation: Federation) -> None:
    forged = HitReport(
        id=f"hit--{uuid.uuid4()}", alert_id=f"alert--{uuid.uuid4()}", issuer="fr",
        finder="ma", sighting=Sighting(dt.datetime(2026, 12, 6, 9, 0, tzinfo=dt.UTC),
                                       "Tanger Med", "list screening", "none"),
        reported_by="user:someone", reported_at=federation.clock.now(),
        direction=Direction.SENT)
    federation.nodes["ma"].outbox.enqueue("fr", [hit_object(forged)], urgent=True)
    with OutboxSender(federation.nodes["ma"], federation.keys["ma"],
                      federation.clients) as sender:
        report = sender.run_once()
    assert report.failed == {"fr": 1}
    assert "fr issued no alert" in report.errors["fr"]
    with federation.nodes["fr"].transactions() as tx:
        assert tx.hits.list(None, None, 10) == []


def test_a_candidate_is_decided_once_and_by_a_reviewer_only(federation: Federation) -> None:
    candidate = candidate_at_ma(federation)
    client = federation.client("ma")
    url = f"/api/v1/candidates/{candidate['id']}/confirm"
    by_analyst = client.post(url, json=CONFIRMATION, headers=federation.headers("ma", "analyst"))
    problem(by_analyst, 403, "forbidden")
    first = client.post(url, json=CONFIRMATION, headers=federation.headers("ma", "reviewer"))
    assert first.status_code == 201, first.text
    again = client.post(url, json=CONFIRMATION, headers=federation.headers("ma", "reviewer"))
    problem(again, 409, "already_reviewed", "candidate_id")
    dismissed = client.post(f"/api/v1/candidates/{candidate['id']}/dismiss",
                            json={"justification": "changed my mind, a namesake"},
                            headers=federation.headers("ma", "reviewer"))
    problem(dismissed, 409, "already_reviewed")
    short = client.post(f"/api/v1/candidates/candidate--{uuid.uuid4()}/dismiss",
                        json={"justification": "namesake"},
                        headers=federation.headers("ma", "reviewer"))
    problem(short, 422, "validation_failed", "justification")
    assert federation.push("ma") == {"fr": 1}
    with federation.nodes["fr"].transactions() as tx:
        assert len(tx.hits.list(Direction.RECEIVED, None, 10)) == 1


def test_a_hit_confirmed_while_the_issuer_is_offline_arrives_when_it_returns(
        federation: Federation) -> None:
    candidate = candidate_at_ma(federation)
    federation.offline.add("fr")
    confirmed = federation.client("ma").post(
        f"/api/v1/candidates/{candidate['id']}/confirm", json=CONFIRMATION,
        headers=federation.headers("ma", "reviewer"))
    assert confirmed.status_code == 201, confirmed.text
    assert federation.push("ma") == {}
    with federation.nodes["ma"].transactions() as tx:
        assert tx.outbox.pending_counts() == {"fr": 1}
    federation.offline.clear()
    federation.clock.advance(hours=1)  # past the back-off
    assert federation.push("ma") == {"fr": 1}
    assert federation.push("ma") == {}
    inbox = federation.client("fr").get("/api/v1/hits",
                                        headers=federation.headers("fr", "analyst")).json()
    assert [h["id"] for h in inbox["items"]] == [confirmed.json()["id"]]


def test_an_unanswered_hit_falls_overdue_after_twelve_hours(federation: Federation) -> None:
    candidate = candidate_at_ma(federation)
    federation.client("ma").post(f"/api/v1/candidates/{candidate['id']}/confirm",
                                 json=CONFIRMATION, headers=federation.headers("ma", "reviewer"))
    federation.push("ma")
    fr = federation.client("fr")
    headers = federation.headers("fr", "analyst")
    assert fr.get("/api/v1/hits/deadlines", headers=headers).json()["received_overdue"] == 0
    federation.clock.advance(hours=12, minutes=1)
    late = fr.get("/api/v1/hits/deadlines", headers=headers).json()
    assert (late["received_unanswered"], late["received_overdue"]) == (1, 1)
    ma_view = federation.client("ma").get("/api/v1/hits/deadlines",
                                          headers=federation.headers("ma", "analyst")).json()
    assert ma_view["sent_overdue"] == 1
    [hit_id] = late["overdue"]
    replied = fr.post(f"/api/v1/hits/{hit_id}/replies", headers=headers,
                      json={"text": "Late, sorry: please keep us informed of his return."})
    assert replied.status_code == 201, replied.text
    assert fr.get("/api/v1/hits/deadlines", headers=headers).json()["received_overdue"] == 0
    assert fr.get(f"/api/v1/hits/{hit_id}", headers=headers).json()["overdue"] is False


def test_hits_confirmed_while_the_issuer_is_down_join_its_back_off(
        federation: Federation) -> None:
    federation.raise_alert("fr", youssef(), shared_with("ma"))
    federation.push("fr")
    ma = federation.nodes["ma"]
    federation.offline.add("fr")
    with OutboxSender(ma, federation.keys["ma"], federation.clients) as sender:
        first = ma.outbox.enqueue("fr", [hit_object(_hit(federation))], urgent=True)
        assert sender.run_once().failed == {"fr": 1}
        later = ma.outbox.enqueue("fr", [hit_object(_hit(federation))], urgent=True)
        held = sender.run_once()
        assert held.failed == {}  # not attempted: it waits with the others
        waiting = ma.outbox.get(later[0].id)
        assert waiting is not None
        assert waiting.attempts == 0
        assert waiting.next_attempt_at > federation.clock.now()
        assert len(first) == 1
        federation.offline.clear()
        federation.clock.advance(seconds=2)
        assert sender.run_once().delivered == {"fr": 2}


def _hit(federation: Federation) -> HitReport:
    with federation.nodes["fr"].transactions() as tx:
        alert_id = next(r.id for r in tx.records.search(
            RecordQuery(kinds=frozenset({RecordKind.ALERT})), None, 10))
    return HitReport(
        id=f"hit--{uuid.uuid4()}", alert_id=alert_id, issuer="fr", finder="ma",
        sighting=Sighting(federation.clock.now(), "Tanger Med", "ferry list", "none"),
        reported_by="user:u-ma", reported_at=federation.clock.now(), direction=Direction.SENT)
