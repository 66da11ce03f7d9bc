"""Push latency of urgent objects: fr's outbox to es's inbox, over real HTTP on loopback.

fr's node hands one urgent object at a time to its outbox (``OutboxService.enqueue(...,
urgent=True)``, committed); its sender (``federation.outbox.OutboxSender.run_forever``, woken
by the enqueue, in a thread) posts it, signed, to es's inbox collection, served by uvicorn;
es applies it on the way in (``federation.receive``: the import path) and answers 202 with a
status. The time is taken from the call to ``enqueue`` until that 202 reaches fr's sender: es
holds the record by then. The objects are the STIX objects of fictional people's person and
document records owned by fr (``federation_feed.FictionalRecords``); the transfer register
entries that whoever enqueues must write are not written (they are not on the push's path).

Measured only when the outbox exists (``passerelle.federation.outbox``); otherwise ``None``.
"""

from __future__ import annotations

import importlib.util
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
from sqlalchemy import func, select

from common import Backend, Database, fresh_database, progress
from federation_feed import PARTNER, FictionalRecords, Latency
from federation_nodes import loopback_socket, make_node, served, trust, url_of
from passerelle.api import create_app
from passerelle.interop.stix.export import record_to_stix
from passerelle.storage.schema import RECORDS

if TYPE_CHECKING:
    from passerelle.services.outbox import OutboxService

WARM_UP = 10
WAIT_S = 30.0


def available() -> bool:
    """Whether this code base has an outbox and its sender."""
    return importlib.util.find_spec("passerelle.federation.outbox") is not None


class _Confirmations:
    """Wakes the benchmark when fr's sender receives es's answer to a post."""

    def __init__(self) -> None:
        self.answered = threading.Event()
        self.statuses: list[int] = []

    def __call__(self, response: httpx.Response) -> None:
        self.statuses.append(response.status_code)
        self.answered.set()


def _held(db: Database) -> int:
    with db.engine.connect() as connection:
        return int(connection.scalar(select(func.count()).select_from(RECORDS)) or 0)


def bench_push(backend: Backend, count: int, directory: Path, seed: int) -> Latency | None:
    """``count`` timed pushes, one at a time, after ``WARM_UP`` untimed ones; None when there
    is no outbox."""
    if not available():
        return None
    from passerelle.federation.outbox import OutboxSender

    objects = [record_to_stix(r)[0] for r in FictionalRecords(seed + 1).take(count + WARM_UP)]
    with fresh_database(backend, "passerelle_bench_federation_push_fr", directory) as fr_db, \
            fresh_database(backend, "passerelle_bench_federation_push_es", directory) as es_db:
        fr, es = make_node(fr_db, "fr"), make_node(es_db, PARTNER)
        sock = loopback_socket()
        trust(fr, es, f"{url_of(sock)}taxii/")
        trust(es, fr, "http://fr.invalid/taxii/")  # fr pushes; it serves nothing here
        confirmations = _Confirmations()

        def clients(base_url: str) -> httpx.Client:
            return httpx.Client(base_url=base_url, timeout=30.0, follow_redirects=False,
                                event_hooks={"response": [confirmations]})

        stop = threading.Event()
        times: list[float] = []
        with served(create_app(es.node), sock, "es"), \
                OutboxSender(fr.node, fr.key, clients) as sender:
            thread = threading.Thread(target=sender.run_forever, args=(stop,),
                                      name="fr-outbox", daemon=True)
            thread.start()
            try:
                with progress(f"{backend}: pushes fr -> es", len(objects)) as advance:
                    for index, obj in enumerate(objects):
                        elapsed = _push_one(fr.node.outbox, obj, confirmations)
                        if index >= WARM_UP:
                            times.append(elapsed)
                        advance(1)
            finally:
                stop.set()
                sender.wake()
                thread.join(WAIT_S)
        held = _held(es_db)
        pending = fr.node.outbox.pending_counts()
    if held != len(objects) or any(pending.values()) or set(confirmations.statuses) != {202}:
        raise SystemExit(f"pushes: es holds {held} of {len(objects)}, still pending {pending}, "
                         f"answers {sorted(set(confirmations.statuses))}")
    return Latency(times, 0.0)


def _push_one(outbox: OutboxService, obj: dict[str, Any], confirmations: _Confirmations
              ) -> float:
    confirmations.answered.clear()
    started = time.perf_counter()
    outbox.enqueue(PARTNER, [obj], urgent=True)
    if not confirmations.answered.wait(WAIT_S):
        raise SystemExit(f"no answer from es within {WAIT_S:.0f} s of an urgent enqueue")
    return (time.perf_counter() - started) * 1000
