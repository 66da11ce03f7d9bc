"""The alert story, told against a running local federation over its HTTP APIs.

``passerelle federation story`` starts the four nodes (``cli.local_federation``), then plays
what the ministers asked for, as the demo users of each node would through the API, and prints
each step with what it took:

1. fr raises a discreet-check alert on a fictional person, in French spelling, releasable to
   es, be and ma (H2, TLP:AMBER); the nodes push it with its subject;
2. be raises a TLP:RED alert naming es alone;
3. ma screens a passenger list in which fr's subject appears in Arabic script with day and
   month of birth swapped, and be's subject under the same spelling, among fictional others;
4. an ma reviewer reads the candidate with its explanation and confirms it;
5. fr's hits inbox holds the report; fr's auditor finds its collection in the audit log;
6. fr withdraws the alert, and ma's next screening of the same traveller raises nothing.

Everything goes over real HTTP on loopback, as between agencies; the step that waits for
another node polls its API every 20 ms, so the times printed include up to one poll interval.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

from passerelle.errors import PasserelleError
from passerelle.seeding import DEMO_PASSWORD
from passerelle.synthetic import PeopleGenerator
from passerelle.synthetic.entries import as_entry

JUSTIFICATION = "demo: fictional foreign-fighter travel, local federation"
POLL_S = 0.02
WAIT_S = 60.0
SUBJECT = {"subject_category": "suspect", "given_names": "Youssef", "family_name": "El Idrissi",
           "names_original_script": ["يوسف الإدريسي"], "date_of_birth": "1991-04-07",
           "place_of_birth": "Meknès", "nationalities": ["FR", "MA"]}
RED_SUBJECT = {"subject_category": "suspect", "given_names": "Ilse",
               "family_name": "Vandermeulen", "date_of_birth": "1989-02-14",
               "nationalities": ["BE"]}
TARGET = {"id": "PAX-TARGET", "full_name": "يوسف الإدريسي", "date_of_birth": "1991-07-04",
          "nationality": ["MA"]}
RED_TWIN = {"id": "PAX-RED", "full_name": "Ilse Vandermeulen", "date_of_birth": "1989-02-14",
            "nationality": ["BE"]}
SIGHTING = {"found_at": "2026-12-06T09:40:00Z",
            "place": "Casablanca Mohammed V airport, terminal 1",
            "reason_of_check": "passenger list screening, flight AT 0981 Paris-Casablanca",
            "action_taken": "discreet check: documents seen, the person was not told",
            "route": "Paris CDG -> Casablanca CMN", "destination": "Marrakech",
            "companions": ["one adult on the same booking"]}

Say = Callable[[str], None]


@dataclass
class StoryReport:
    """What the story measured, in milliseconds, and whether each check held."""

    timings_ms: dict[str, float] = field(default_factory=dict)
    checks: dict[str, bool] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """Every check held."""
        return all(self.checks.values())


class StoryFailed(PasserelleError):
    """A step of the story did not go as it should."""


def _wait(what: str, probe: Callable[[], Any]) -> tuple[Any, float]:
    """Poll ``probe`` until it returns something truthy; (value, milliseconds waited)."""
    start = time.monotonic()
    while time.monotonic() - start < WAIT_S:
        value = probe()
        if value:
            return value, (time.monotonic() - start) * 1000
        time.sleep(POLL_S)
    raise StoryFailed(f"gave up waiting {WAIT_S:g} s for {what}")


class Session:
    """A demo user logged in to one node's API."""

    def __init__(self, url: str, username: str) -> None:
        self.client = httpx.Client(base_url=url.rstrip("/") + "/api/v1", timeout=30,
                                   headers={"Passerelle-Justification": JUSTIFICATION})
        login = self.client.post("/session", json={"username": username,
                                                   "password": DEMO_PASSWORD})
        if login.status_code != 200:
            raise StoryFailed(f"{username} cannot log in at {url}: {login.text}")

    def call(self, method: str, path: str, expect: tuple[int, ...] = (200, 201, 202),
             **kwargs: Any) -> Any:
        response = self.client.request(method, path, **kwargs)
        if response.status_code not in expect:
            raise StoryFailed(f"{method} {path}: {response.status_code} {response.text}")
        return response.json() if response.content else None

    def close(self) -> None:
        self.client.close()


def passengers(count: int) -> list[dict[str, Any]]:
    """``count`` fictional passengers."""
    people = PeopleGenerator(seed=981)
    rows = []
    for key in range(count):
        entry = as_entry(people.person(key), f"PAX-{key:05d}")
        row = {"id": entry.id, "full_name": entry.full_name,
               "date_of_birth": entry.date_of_birth, "nationality": list(entry.nationalities)}
        rows.append({k: v for k, v in row.items() if v})
    return rows


class AlertStory:
    """The story against the nodes at ``urls`` (agency -> base URL); ``say`` prints."""

    def __init__(self, urls: dict[str, str], say: Say, passenger_count: int = 2000) -> None:
        self.urls = urls
        self.say = say
        self.passenger_count = passenger_count
        self.report = StoryReport()
        self._sessions: list[Session] = []

    def session(self, agency: str, username: str) -> Session:
        opened = Session(self.urls[agency], username)
        self._sessions.append(opened)
        return opened

    def check(self, name: str, holds: bool, text: str) -> None:
        self.report.checks[name] = holds
        self.say(("[green]✓[/] " if holds else "[red]✗[/] ") + text)

    def run(self) -> StoryReport:
        """Play the story (see the module docstring); closes its sessions at the end."""
        try:
            self._play()
        finally:
            for opened in self._sessions:
                opened.close()
        return self.report

    def _raise(self, who: Session, subject: dict[str, Any], markings: dict[str, Any]
               ) -> str:
        person = who.call("POST", "/records", json={"kind": "person", "markings": markings,
                                                    "details": subject})
        alert = who.call("POST", "/records", json={
            "kind": "alert", "markings": markings, "details": {
                "category": "discreet_check", "subject": person["id"], "urgency": "urgent",
                "action": "Report the encounter to the issuing bureau; do not let the person "
                          "notice the check.",
                "valid_from": "2026-01-01T00:00:00Z", "valid_until": "2036-01-01T00:00:00Z"}})
        return str(alert["id"])

    def _play(self) -> None:
        fr, be = self.session("fr", "amina.analyst"), self.session("be", "amina.analyst")
        ma = self.session("ma", "amina.analyst")
        ma_reviewer = self.session("ma", "lucas.reviewer")
        fr_auditor = self.session("fr", "pieter.auditor")
        shared = {"tlp": "AMBER", "handling_code": "H2", "releasable_to": ["es", "be", "ma"]}
        alert_id = self._raise(fr, SUBJECT, shared)
        self.say(f"fr raises a discreet check on Youssef El Idrissi (1991-04-07): {alert_id}")
        _, waited = _wait("ma to hold fr's alert", lambda: ma.call(
            "GET", f"/records/{alert_id}", expect=(200, 404)).get("id"))
        self.report.timings_ms["alert_at_ma"] = waited
        self.say(f"ma holds it {waited:.0f} ms later (pushed with its subject)")
        red_id = self._raise(be, RED_SUBJECT, {"tlp": "RED", "handling_code": "H0",
                                               "releasable_to": ["es", "ma"],
                                               "recipients": ["agency:es"]})
        self.say(f"be raises a TLP:RED alert naming es alone: {red_id}")
        job, took = self._screen(ma, [*passengers(self.passenger_count), TARGET, RED_TWIN])
        self.report.timings_ms["screening"] = took
        self.say(f"ma screens {job['total']} passengers in {took / 1000:.1f} s: "
                 f"{job['candidates']} checks sent to review (the job says nothing more)")
        queue = ma_reviewer.call("GET", "/candidates", params={"limit": 200})["items"]
        ours = [c for c in queue if c["alert_id"] == alert_id]
        self.check("found", [c["query"]["id"] for c in ours] == ["PAX-TARGET"],
                   "the Arabic-script passenger with day and month swapped is a candidate "
                   f"for fr's alert: {ours[0]['explanation'] if ours else 'none'}")
        self.check("red_unseen", not any(c["alert_id"] == red_id for c in queue)
                   and ma.call("GET", f"/records/{red_id}", expect=(404,)) is not None,
                   "be's TLP:RED alert is not held at ma and matched nobody")
        if not ours:
            return
        self._report_hit(ma_reviewer, fr, fr_auditor, ours[0]["id"])
        self._withdraw(fr, ma, alert_id)

    def _screen(self, who: Session, travellers: list[dict[str, Any]]
                ) -> tuple[dict[str, Any], float]:
        start = time.monotonic()
        job = who.call("POST", "/screenings", json={
            "name": "AT 0981 Paris-Casablanca (demo)", "travellers": travellers})
        done, _ = _wait("the screening job", lambda: (
            lambda j: j if j["status"] == "done" else None)(
                who.call("GET", f"/screenings/{job['id']}")))
        return done, (time.monotonic() - start) * 1000

    def _report_hit(self, reviewer: Session, fr: Session, auditor: Session,
                    candidate_id: str) -> None:
        start = time.monotonic()
        hit = reviewer.call("POST", f"/candidates/{candidate_id}/confirm", json={
            "justification": "same name in Arabic script, same birth date with day and month "
                             "swapped, same nationality", "sighting": SIGHTING})
        received, _ = _wait("fr's hits inbox", lambda: [
            h for h in fr.call("GET", "/hits")["items"] if h["id"] == hit["id"]])
        took = (time.monotonic() - start) * 1000
        self.report.timings_ms["hit_to_issuer"] = took
        self.say(f"an ma reviewer confirms; fr's hits inbox holds {hit['id']} {took:.0f} ms "
                 f"later, reply due {received[0]['reply_due']}")
        entries = auditor.call("GET", "/audit", params={"action": "collection", "limit": 500})
        self.check("audited", any(e["details"].get("object") == hit["id"]
                                  for e in entries["items"]),
                   "fr's audit log records the hit report's collection from ma")
        fr.call("POST", f"/hits/{hit['id']}/acknowledgement",
                json={"text": "Received; our liaison officer will call your bureau."})
        self.say("fr acknowledges the hit; the acknowledgement goes back to ma")

    def _withdraw(self, fr: Session, ma: Session, alert_id: str) -> None:
        alert = fr.call("GET", f"/records/{alert_id}")
        fr.call("PUT", f"/records/{alert_id}", json={
            "version": alert["version"], "markings": alert["markings"],
            "details": {**alert["details"], "status": "withdrawn"}})
        _wait("ma to hold the withdrawal", lambda: ma.call(
            "GET", f"/records/{alert_id}")["details"]["status"] == "withdrawn")
        job, _ = self._screen(ma, [{**TARGET, "id": f"PAX-{uuid.uuid4().hex[:8]}"}])
        self.check("withdrawn", job["candidates"] == 0,
                   "fr withdraws the alert: the same passenger screened again raises nothing")
