"""The hits of the end-to-end benchmark: candidates confirmed one at a time at ma, timed until
fr's node announces each, with fr killed and started again in the middle.

Each confirmation is ``POST /api/v1/candidates/{id}/confirm`` as ma's reviewer (a sighting at
Casablanca airport); its time runs from the request's start until fr's live notices
(``GET /api/v1/events`` as fr's analyst, followed from a thread) announce the hit: ma stored the
decision and the hit report, its outbox sender was woken and posted the report, signed, to fr's
inbox, which checked the signature, stored it and announced it. Hits confirmed while fr was down
wait in ma's outbox; when fr is back, its inbox (``GET /api/v1/hits``) is read every half second
until it holds them. A hit whose notice was missed (ma may deliver the backlog in the instant fr
is back, before its stream is followed again) counts from the read of the inbox that found it.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field
from typing import Any

from common import note, percentile, progress, write
from e2e_hits_nodes import Api, Nodes

CONFIRMING = "benchmark: same person as the alert's subject, fictional data"
SIGHTING = {"place": "Casablanca Mohammed V airport, terminal 1",
            "reason_of_check": "passenger list screening (benchmark, fictional)",
            "action_taken": "discreet check: documents seen, the person was not told"}
POLL_S = 0.1
INBOX_EVERY_S = 0.5


@dataclass
class Confirmed:
    """One hit confirmed at ma: when the request started, how long it took, when fr had it."""

    hit_id: str
    started: float
    confirm_s: float
    while_down: bool
    arrived: float | None = None


@dataclass
class HitRun:
    """The confirmations and the crash of fr."""

    hits: list[Confirmed] = field(default_factory=list)
    down_s: float = 0.0
    restart_s: float = 0.0
    back_at: float = 0.0


def _confirm(nodes: Nodes, candidate: dict[str, Any], while_down: bool) -> Confirmed:
    sighting = {**SIGHTING, "found_at": dt.datetime.now(dt.UTC).isoformat()}
    started = time.perf_counter()
    hit = nodes.ma_reviewer.ok("POST", f"/candidates/{candidate['id']}/confirm", 201, json={
        "justification": CONFIRMING, "sighting": sighting}).json()
    return Confirmed(hit["id"], started, time.perf_counter() - started, while_down)


def _confirm_and_wait(nodes: Nodes, candidate: dict[str, Any], timeout: float) -> Confirmed:
    confirmed = _confirm(nodes, candidate, while_down=False)
    seen = nodes.fr_events.wait_for("hit", confirmed.hit_id, timeout)
    if seen is not None:
        confirmed.arrived = seen[0]
    return confirmed


def confirm_hits(nodes: Nodes, chosen: list[dict[str, Any]], down: int,
                 timeouts: tuple[float, float]) -> HitRun:
    """Confirm one at a time: half with fr up; fr killed, ``down`` confirmed; fr started
    again, its inbox waited for; the rest with fr up. ``timeouts``: for one hit, for the
    backlog."""
    hit_timeout, recovery_timeout = timeouts
    run = HitRun()
    half = len(chosen) // 2
    down = min(down, len(chosen) - half)
    with progress("hits confirmed at ma", len(chosen)) as advance:
        for candidate in chosen[:half]:
            run.hits.append(_confirm_and_wait(nodes, candidate, hit_timeout))
            advance(1)
        killed = time.perf_counter()
        nodes.fr.kill()
        for candidate in chosen[half:half + down]:
            run.hits.append(_confirm(nodes, candidate, while_down=True))
            advance(1)
        run.restart_s = nodes.fr.start()
        run.back_at = time.perf_counter()
        run.down_s = run.back_at - killed
        if not nodes.fr_events.connected.wait(hit_timeout):
            raise SystemExit("could not follow fr's events again after its restart")
        delayed = [c for c in run.hits if c.while_down]
        await_inbox(nodes, delayed, run.back_at + recovery_timeout)
        for candidate in chosen[half + down:]:
            run.hits.append(_confirm_and_wait(nodes, candidate, hit_timeout))
            advance(1)
    return run


def _held(api: Api) -> set[str]:
    return {h["id"] for h in api.every("/hits", direction="received")}


def await_inbox(nodes: Nodes, hits: list[Confirmed], deadline: float) -> int:
    """Wait until fr's inbox holds ``hits``, or ``deadline`` (``perf_counter``); notes when
    each arrived (fr's notice, else the read of its inbox that found it, every
    ``INBOX_EVERY_S`` while a notice is missing); how many it holds."""
    wanted = {c.hit_id: c for c in hits}
    note(f"fr's inbox should hold {len(wanted)} more hits (waiting "
         f"{max(deadline - time.perf_counter(), 0):.0f} s at most)")
    read_at = 0.0
    while True:
        for confirmed in wanted.values():
            if confirmed.arrived is None:
                confirmed.arrived = nodes.fr_events.arrival("hit", confirmed.hit_id)
        noticed = all(c.arrived is not None for c in wanted.values())
        now = time.perf_counter()
        if noticed or now > deadline or now - read_at >= INBOX_EVERY_S:
            held = _held(nodes.fr_analyst) & wanted.keys()
            read_at = time.perf_counter()
            for hit_id in held:  # a notice missed while fr's stream was reconnecting
                if wanted[hit_id].arrived is None:
                    wanted[hit_id].arrived = read_at
            if len(held) == len(wanted) or read_at > deadline:
                return len(held)
        time.sleep(POLL_S)


def hit_figures(run: HitRun, held: int) -> dict[str, float]:
    """Latency of the hits confirmed while fr was up, delivery of those confirmed while it
    was down, and what was lost."""
    live = [(c.arrived - c.started) * 1000 for c in run.hits
            if not c.while_down and c.arrived is not None]
    delayed = [c for c in run.hits if c.while_down]
    arrivals = [c.arrived for c in delayed if c.arrived is not None]
    confirms = [c.confirm_s * 1000 for c in run.hits]
    return {"hits": float(len(run.hits)), "hit_p50_ms": percentile(live, 50),
            "hit_p99_ms": percentile(live, 99), "hit_max_ms": max(live, default=float("nan")),
            "confirm_p50_ms": percentile(confirms, 50),
            "confirm_p99_ms": percentile(confirms, 99), "delayed": float(len(delayed)),
            "delayed_max_s": max((c.arrived - c.started for c in delayed
                                  if c.arrived is not None), default=float("nan")),
            "down_s": run.down_s, "restart_s": run.restart_s,
            "recovery_s": max((a - run.back_at for a in arrivals), default=0.0),
            "lost": float(len(run.hits) - held)}


def describe_hits(figures: dict[str, float], outbox: dict[str, int]) -> None:
    write(f"# hits: {figures['hits']:.0f} confirmed at ma; while fr was up, from the confirm "
          f"request to fr's notice: p50 {figures['hit_p50_ms']:.1f} ms, p99 "
          f"{figures['hit_p99_ms']:.1f} ms, max {figures['hit_max_ms']:.1f} ms (the confirm "
          f"request alone: p50 {figures['confirm_p50_ms']:.1f} ms)")
    write(f"# fr killed for {figures['down_s']:.1f} s (restart {figures['restart_s']:.1f} s): "
          f"{figures['delayed']:.0f} hits confirmed meanwhile reached fr at most "
          f"{figures['delayed_max_s']:.1f} s after their confirmation, the last "
          f"{figures['recovery_s']:.1f} s after fr answered again; lost "
          f"{figures['lost']:.0f}; still in ma's outbox: {outbox or 'nothing'}")
