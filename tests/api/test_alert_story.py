"""The story of issue 5, end to end across four nodes (fr, es, be, ma) over signed HTTP.

fr raises a discreet-check alert on a fictional person written in French spelling, releasable
to es, be and ma; ma screens a passenger list in which that person appears in Arabic script
with day and month of birth swapped, among thousands of fictional others; the candidate
reaches ma's review queue with its explanation; an ma reviewer confirms; fr's hits inbox holds
the hit report after ma's next outbox pass, with transfer and audit records on both sides.
Negatives in the same federation: be's TLP:RED alert is never matched at ma, the H2 alert es
received is never passed on by es, and a withdrawn alert no longer matches.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from alert_federation import (
    Federation,
    four_nodes,
    shared_with,
    youssef,
)

from passerelle.domain.audit import AuditAction
from passerelle.domain.dates import PartialDate
from passerelle.domain.markings import Tlp
from passerelle.domain.records import Alert, AlertStatus, Person, SubjectCategory
from passerelle.ports import AuditQuery, TransferQuery
from passerelle.synthetic import PeopleGenerator
from passerelle.synthetic.entries import as_entry

PASSENGERS = 3000
SIGHTING = {
    "found_at": "2026-12-06T09:40:00Z", "place": "Casablanca Mohammed V airport, terminal 1",
    "reason_of_check": "passenger list screening, flight AT 0981 Paris-Casablanca",
    "action_taken": "discreet check: documents seen, the person was not told",
    "route": "Paris CDG -> Casablanca CMN", "destination": "Marrakech",
    "companions": ["one adult on the same booking"], "vehicle": "",
    "objects_carried": ["two mobile phones", "one laptop"]}


@pytest.fixture
def federation(tmp_path: Path, template: tuple[Path, dict[str, str]]) -> Iterator[Federation]:
    yield from four_nodes(tmp_path, template[0])


def passenger_list(extra: list[dict[str, Any]]) -> dict[str, Any]:
    """Thousands of fictional passengers, then ``extra``."""
    people = PeopleGenerator(seed=611)
    travellers = []
    for key in range(PASSENGERS):
        entry = as_entry(people.person(key), f"PAX-{key:05d}")
        row = {"id": entry.id, "full_name": entry.full_name,
               "date_of_birth": entry.date_of_birth,
               "nationality": list(entry.nationalities)}
        travellers.append({k: v for k, v in row.items() if v})
    return {"name": "AT 0981 Paris-Casablanca 2026-12-06", "travellers": travellers + extra}


TARGET = {"id": "PAX-TARGET", "full_name": "يوسف الإدريسي", "date_of_birth": "1991-07-04",
          "nationality": ["MA"]}


def submit(federation: Federation, body: dict[str, Any]) -> dict[str, Any]:
    response = federation.client("ma").post("/api/v1/screenings", json=body,
                                            headers=federation.headers("ma", "analyst"))
    assert response.status_code == 202, response.text
    job: dict[str, Any] = response.json()
    return job


def pending(federation: Federation, agency: str = "ma") -> list[dict[str, Any]]:
    response = federation.client(agency).get("/api/v1/candidates",
                                             headers=federation.headers(agency, "reviewer"))
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


def audited(federation: Federation, agency: str, action: AuditAction) -> list[Any]:
    with federation.nodes[agency].transactions() as tx:
        return tx.audit.entries(AuditQuery(action=action.value), 0, 10_000)


def test_a_discreet_check_raised_by_fr_is_found_at_ma_and_reported_back(
        federation: Federation) -> None:
    fr, es, ma = (federation.nodes[a] for a in ("fr", "es", "ma"))
    _subject, alert = federation.raise_alert("fr", youssef(), shared_with("es", "be", "ma"))
    _red_subject, red_alert = federation.raise_alert(
        "be", Person(SubjectCategory.SUSPECT, "Ilse", "Vandermeulen",
                     date_of_birth=PartialDate.parse("1989-02-14", "date_of_birth"),
                     nationalities=("BE",)),
        shared_with("es", "ma", tlp=Tlp.RED, recipients=frozenset({"es"})))
    assert federation.push("fr") == {"es": 2, "be": 2, "ma": 2}  # subject and alert each
    assert federation.push("be") == {"es": 2}  # TLP:RED: es is the only named recipient
    federation.push_all()  # es passes nothing on: fr's alert is H2, be's TLP:RED

    with es.transactions() as tx:
        assert tx.federation.latest_changes(alert.id) == {}
        assert tx.federation.latest_changes(red_alert.id) == {}
        assert tx.outbox.pending_counts() == {}

    red_twin = {"id": "PAX-RED", "full_name": "Ilse Vandermeulen", "date_of_birth": "1989-02-14",
                "nationality": ["BE"]}
    job = submit(federation, passenger_list([TARGET, red_twin]))
    assert set(job) == {"id", "name", "status", "total", "done", "candidates", "submitted_at",
                        "finished_at", "error"}  # counts only: no alert, no category
    federation.screen("ma")
    done = federation.client("ma").get(f"/api/v1/screenings/{job['id']}",
                                       headers=federation.headers("ma", "analyst")).json()
    assert done["status"] == "done"
    assert done["done"] == PASSENGERS + 2
    assert alert.id not in json.dumps(done)
    assert "discreet" not in json.dumps(done)

    queue = pending(federation)
    ours = [c for c in queue if c["alert_id"] == alert.id]
    assert [c["query"]["id"] for c in ours] == ["PAX-TARGET"]
    assert not any(c["alert_id"] == red_alert.id for c in queue)
    candidate = ours[0]
    assert candidate["covert"] is True
    assert candidate["subject"]["details"]["family_name"] == "El Idrissi"
    assert "date of birth: day and month swapped" in candidate["explanation"]
    assert candidate["band"] in ("strong", "possible")

    federation.clock.advance(minutes=3)
    confirmed = federation.client("ma").post(
        f"/api/v1/candidates/{candidate['id']}/confirm",
        headers=federation.headers("ma", "reviewer"),
        json={"justification": "same name in Arabic script, same birth date with day and "
                               "month swapped, same nationality", "sighting": SIGHTING})
    assert confirmed.status_code == 201, confirmed.text
    hit = confirmed.json()
    assert hit["direction"] == "sent"
    assert hit["issuer"] == "fr"
    assert federation.push("ma") == {"fr": 1}

    inbox = federation.client("fr").get("/api/v1/hits?direction=received",
                                        headers=federation.headers("fr", "analyst"))
    assert inbox.status_code == 200, inbox.text
    [received] = inbox.json()["items"]
    assert received["id"] == hit["id"]
    assert received["alert_id"] == alert.id
    assert received["finder"] == "ma"
    assert received["sighting"]["place"] == SIGHTING["place"]
    assert received["sighting"]["companions"] == SIGHTING["companions"]
    assert received["reply_due"] == "2026-12-06T20:03:00Z"  # 12 hours after the report

    with ma.transactions() as tx:
        sent = [t for _, t in tx.federation.transfers(TransferQuery(recipient="fr"), 0, 100)]
    assert [(t.record_id, t.channel, t.basis.value) for t in sent] == [
        (hit["id"], "push", "agreement")]
    with fr.transactions() as tx:
        came = [t for _, t in tx.federation.transfers(TransferQuery(recipient="fr"), 0, 100)]
    assert [(t.record_id, t.sender) for t in came] == [(hit["id"], "ma")]
    assert any(e.details.get("sent", [[None]])[0][0] == hit["id"]
               for e in audited(federation, "ma", AuditAction.DISCLOSURE))
    assert [e.record_id for e in audited(federation, "ma", AuditAction.REVIEW)] == [alert.id]
    assert any(e.details.get("object") == hit["id"]
               for e in audited(federation, "fr", AuditAction.COLLECTION))

    acknowledged = federation.client("fr").post(
        f"/api/v1/hits/{hit['id']}/acknowledgement", headers=federation.headers("fr", "analyst"),
        json={"text": "Received; the liaison officer will call your bureau."})
    assert acknowledged.status_code == 201, acknowledged.text
    assert federation.push("fr") == {"ma": 1}
    followed = federation.client("ma").get(f"/api/v1/hits/{hit['id']}",
                                           headers=federation.headers("ma", "analyst")).json()
    assert followed["answered_at"] is not None
    assert followed["overdue"] is False
    assert [m["kind"] for m in followed["messages"]] == ["acknowledgement"]

    federation.clock.advance(minutes=5)
    withdrawn = Alert(**{**_fields(alert.details), "status": AlertStatus.WITHDRAWN})
    fr.records.update(federation.caller("fr"), alert.id, 1, alert.markings, withdrawn)
    assert federation.push("fr")["ma"] == 1
    second = submit(federation, {"name": "AT 0981, second pass", "travellers": [TARGET]})
    federation.screen("ma")
    assert [c for c in pending(federation) if c["alert_id"] == alert.id] == []
    assert federation.client("ma").get(
        f"/api/v1/screenings/{second['id']}",
        headers=federation.headers("ma", "analyst")).json()["candidates"] == 0


def _fields(details: object) -> dict[str, Any]:
    assert isinstance(details, Alert)
    return {name: getattr(details, name) for name in Alert.__dataclass_fields__}
