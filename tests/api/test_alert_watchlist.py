"""The watchlist at the receiving node: document alerts match numbers misread by a scanner,
on the issuing country; a person record a partner sends is screened as it arrives; an expired
alert raises nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from alert_federation import Federation, four_nodes, shared_with, youssef

from passerelle.domain.hits import CandidateStatus, CheckSource
from passerelle.domain.records import (
    Alert,
    AlertCategory,
    Document,
    DocumentStatus,
    DocumentType,
    Urgency,
)
from passerelle.federation.pull import Puller


@pytest.fixture
def federation(tmp_path: Path, template: tuple[Path, dict[str, str]]) -> Iterator[Federation]:
    yield from four_nodes(tmp_path, template[0])


def screen_list(federation: Federation, travellers: list[dict[str, Any]]) -> dict[str, Any]:
    client = federation.client("ma")
    headers = federation.headers("ma", "analyst")
    response = client.post("/api/v1/screenings", headers=headers,
                           json={"name": "ferry Tanger Med", "travellers": travellers})
    assert response.status_code == 202, response.text
    federation.screen("ma")
    job: dict[str, Any] = client.get(response.headers["Location"], headers=headers).json()
    return job


def queue(federation: Federation) -> list[dict[str, Any]]:
    body = federation.client("ma").get("/api/v1/candidates",
                                       headers=federation.headers("ma", "reviewer")).json()
    items: list[dict[str, Any]] = body["items"]
    return items


def stolen_passport_alert(federation: Federation) -> str:
    records = federation.nodes["fr"].records
    caller = federation.caller("fr")
    markings = shared_with("ma")
    document = records.create(caller, markings, Document(
        DocumentType.PASSPORT, "MA4471200", "MA", DocumentStatus.STOLEN))
    alert = records.create(caller, markings, Alert(
        AlertCategory.DOCUMENT_TO_SEIZE, document.id, "Seize the document, report its bearer.",
        federation.clock.now() - dt.timedelta(days=1),
        federation.clock.now() + dt.timedelta(days=30), Urgency.ROUTINE))
    federation.push("fr")
    return alert.id


def test_a_stolen_passport_is_found_through_ocr_confusions_on_its_country(
        federation: Federation) -> None:
    alert_id = stolen_passport_alert(federation)
    job = screen_list(federation, [
        {"id": "PAX-1", "full_name": "Nadia Berrada", "document_number": "MA447I2OO",
         "document_country": "MA"},
        {"id": "PAX-2", "full_name": "Tomás Ferreira", "document_number": "MA4471200",
         "document_country": "PT"},
        {"id": "PAX-3", "full_name": "Jan Peeters", "document_number": "BE0000001",
         "document_country": "BE"}])
    assert job["candidates"] == 1
    [candidate] = queue(federation)
    assert candidate["alert_id"] == alert_id
    assert candidate["query"]["id"] == "PAX-1"
    assert "O/0" in candidate["explanation"]
    assert candidate["subject"]["details"]["status"] == "stolen"


def test_a_person_record_a_partner_sends_is_screened_on_arrival(federation: Federation) -> None:
    _, alert = federation.raise_alert("fr", youssef(), shared_with("es", "ma"))
    federation.push("fr")
    es = federation.nodes["es"]
    sent = es.records.create(federation.caller("es"), shared_with("ma"), youssef())
    report = Puller(federation.nodes["ma"], federation.keys["ma"], federation.clients).pull("es")
    assert report.rejected == []
    federation.screen("ma")
    [candidate] = queue(federation)
    assert candidate["source"] == CheckSource.RECORD.value
    assert candidate["alert_id"] == alert.id
    assert candidate["query"]["record_id"] == sent.id
    assert candidate["query"]["owner"] == "es"
    federation.screen("ma")  # the same record version is not screened twice
    assert len(queue(federation)) == 1


def test_an_expired_alert_raises_nothing(federation: Federation) -> None:
    federation.raise_alert("fr", youssef(), shared_with("ma"))
    federation.push("fr")
    federation.clock.advance(days=366)
    job = screen_list(federation, [{"id": "PAX-1", "full_name": "Youssef El Idrissi",
                                    "date_of_birth": "1991-04-07"}])
    assert (job["status"], job["candidates"]) == ("done", 0)
    with federation.nodes["ma"].transactions() as tx:
        assert tx.screening.count_candidates()[CandidateStatus.PENDING] == 0
