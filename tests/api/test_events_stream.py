"""The live stream of notices, over a real server: a reviewer who follows ``/api/v1/events``
hears of a new candidate as soon as the node's own screening worker has screened the list
(no polling), and the notices hold ids, never the personal data they are about."""

from __future__ import annotations

import datetime as dt
import json
import queue
import threading
from typing import Any

import httpx
from api_support import JUSTIFICATION, NOW, MovableClock
from tests.support import served_on_loopback

from passerelle.api import create_app
from passerelle.bootstrap import node_caller
from passerelle.domain.dates import PartialDate
from passerelle.domain.markings import Markings
from passerelle.domain.records import Alert, AlertCategory, Person, SubjectCategory
from passerelle.node import Node

WAIT_S = 20


def follow(base: str, token: str, into: queue.Queue[dict[str, Any]],
           ready: threading.Event, wanted: int) -> None:
    """Read the stream, handing each event (its name and data) over, until ``wanted``
    events came; then hang up."""
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=base, timeout=WAIT_S) as client, \
            client.stream("GET", "/api/v1/events", headers=headers) as response:
        assert response.headers["content-type"].startswith("text/event-stream")
        event: dict[str, Any] = {}
        for line in response.iter_lines():
            if line == ": connected":
                ready.set()
            elif line.startswith("event: "):
                event["event"] = line.removeprefix("event: ")
            elif line.startswith("data: "):
                event["data"] = json.loads(line.removeprefix("data: "))
            elif not line and event:
                into.put(event)
                event = {}
                wanted -= 1
            if wanted == 0:
                return


def test_a_reviewer_hears_of_a_new_candidate_without_polling(
        node: Node, clock: MovableClock, template: tuple[Any, dict[str, str]]) -> None:
    tokens = template[1]
    author = node_caller("fr", JUSTIFICATION)
    subject = node.records.create(author, Markings(), Person(
        SubjectCategory.SUSPECT, "Samira", "Ait Lahcen", ("سميرة آيت لحسن",),
        date_of_birth=PartialDate.parse("1993-09-21", "date_of_birth"), nationalities=("MA",)))
    node.records.create(author, Markings(), Alert(
        AlertCategory.INQUIRY_CHECK, subject.id, "Ask about the purpose of the journey.",
        NOW - dt.timedelta(days=1), NOW + dt.timedelta(days=90)))
    events: queue.Queue[dict[str, Any]] = queue.Queue()
    ready = threading.Event()
    with served_on_loopback(create_app(node)) as base:
        reader = threading.Thread(target=follow, args=(base, tokens["reviewer"], events, ready, 2),
                                  daemon=True)
        reader.start()
        assert ready.wait(WAIT_S)
        submitted = httpx.post(f"{base}/api/v1/screenings", json={
            "name": "bus Bruxelles-Madrid", "travellers": [
                {"id": "B-17", "full_name": "Samira Ait Lahcen", "date_of_birth": "1993-09-21"},
                {"id": "B-18", "full_name": "Pieter Janssens", "date_of_birth": "1980-01-02"}]},
            headers={"Authorization": f"Bearer {tokens['analyst']}",
                     "Passerelle-Justification": JUSTIFICATION.encode()}, timeout=WAIT_S)
        assert submitted.status_code == 202, submitted.text
        heard = [events.get(timeout=WAIT_S), events.get(timeout=WAIT_S)]
        reader.join(WAIT_S)
    assert [e["event"] for e in heard] == ["candidate", "screening"]
    assert heard[0]["data"]["id"].startswith("candidate--")
    assert heard[1]["data"] == {**heard[1]["data"], "status": "done", "candidates": 1,
                                "total": 2}
    assert "Samira" not in json.dumps(heard)
    assert "Ait" not in json.dumps(heard)
