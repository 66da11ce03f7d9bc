"""Hits: the inbox of hit reports received on this node's alerts, the hits it sent, the
acknowledgements and replies between the two bureaux, the 12-hour deadlines, and the live
stream of notices (server-sent events) that lets pages and partner tools react at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response
from fastapi.responses import JSONResponse, StreamingResponse

from passerelle.api.auth import CallerDep, NodeDep
from passerelle.api.hit_models import (
    DeadlinesOut,
    HitOut,
    HitPage,
    MessageIn,
    MessageOut,
    deadlines_out,
    hit_out,
    message_out,
)
from passerelle.api.limits import StrictJsonRoute
from passerelle.api.models import problems_for
from passerelle.api.params import PageLimit
from passerelle.domain.hits import Direction
from passerelle.services.notifications import Notice

router = APIRouter(tags=["hits"], route_class=StrictJsonRoute)
HitId = Annotated[str, Path(pattern=r"^hit--[0-9a-f-]{36}$", max_length=60)]
KEEPALIVE_S = 15.0
QUEUE_SIZE = 1000


@router.get("/hits", response_model=HitPage, summary="Read hits received or sent",
            description="`direction=received` is the inbox of hits on this node's alerts; "
                        "`sent`, the hits this node reported. Each carries its reply "
                        "deadline (12 hours) and messages. Analysts and reviewers; needs the "
                        "`Passerelle-Justification` header; audited as a consultation.",
            responses=problems_for(400, 401, 403, 422))
def list_hits(caller: CallerDep, node: NodeDep, limit: PageLimit,
              direction: Direction | None = Direction.RECEIVED,
              after: Annotated[str | None, Query(max_length=80)] = None) -> Response:
    """Keyset paging on the hit id."""
    found = node.hits.hits(caller, direction, after, limit)
    now = node.clock.now()
    cursor = found[-1].id if len(found) == limit else None
    return JSONResponse({"items": [hit_out(h, now) for h in found], "next_cursor": cursor})


@router.get("/hits/deadlines", response_model=DeadlinesOut, summary="Count hit deadlines",
            description="Hits waiting for the issuer's answer, and those past their 12 hours, "
                        "on both sides. No personal data.",
            responses=problems_for(401, 403))
def get_deadlines(caller: CallerDep, node: NodeDep) -> DeadlinesOut:
    """Counts and overdue ids."""
    return deadlines_out(node.hits.deadlines(caller))


@router.get("/hits/{hit_id}", response_model=HitOut, summary="Read one hit",
            description="The report, its deadline and every message. Audited.",
            responses=problems_for(400, 401, 403, 404, 422))
def get_hit(hit_id: HitId, caller: CallerDep, node: NodeDep) -> Response:
    """One hit."""
    return JSONResponse(hit_out(node.hits.hit(caller, hit_id), node.clock.now()))


@router.post("/hits/{hit_id}/acknowledgement", status_code=201, response_model=MessageOut,
             summary="Acknowledge a hit received",
             description="The issuer's acknowledgement: it answers the hit (the deadline is "
                         "met) and goes to the finder at once.",
             responses=problems_for(400, 401, 403, 404, 413, 415, 422))
def acknowledge_hit(hit_id: HitId, body: MessageIn, caller: CallerDep,
                    node: NodeDep) -> MessageOut:
    """Acknowledge."""
    return message_out(node.hits.acknowledge(caller, hit_id, body.text))


@router.post("/hits/{hit_id}/replies", status_code=201, response_model=MessageOut,
             summary="Reply about a hit",
             description="A follow-up from either side, sent to the other at once.",
             responses=problems_for(400, 401, 403, 404, 413, 415, 422))
def reply_to_hit(hit_id: HitId, body: MessageIn, caller: CallerDep,
                 node: NodeDep) -> MessageOut:
    """Reply."""
    return message_out(node.hits.reply(caller, hit_id, body.text))


def _event(notice: Notice) -> bytes:
    data = {"kind": notice.kind.value, "id": notice.subject,
            "at": notice.at.isoformat().replace("+00:00", "Z"), **notice.data}
    return (f"id: {notice.seq}\nevent: {notice.kind.value}\n"
            f"data: {json.dumps(data, ensure_ascii=False)}\n\n").encode()


@router.get("/events", summary="Follow live notices (server-sent events)",
            description="A `text/event-stream` of notices for your roles: `candidate` (a "
                        "check waits for review), `screening` (a job ended), `hit` (a hit "
                        "received or sent), `message` (an acknowledgement or a reply). Each "
                        "holds ids, never personal data: read the item through the API. A "
                        "comment line every 15 seconds keeps the connection open.",
            response_class=StreamingResponse,
            responses={200: {"content": {"text/event-stream": {"example":
                       'id: 7\nevent: hit\ndata: {"kind": "hit", "id": "hit--...", '
                       '"direction": "received"}\n\n'}}}, **problems_for(401)})
async def stream_events(request: Request, caller: CallerDep, node: NodeDep
                        ) -> StreamingResponse:
    """Subscribe, then stream until the client goes away."""
    loop = asyncio.get_running_loop()
    queue: asyncio.Queue[Notice] = asyncio.Queue(QUEUE_SIZE)

    def hand_over(notice: Notice) -> None:
        with contextlib.suppress(asyncio.QueueFull):
            queue.put_nowait(notice)

    def from_any_thread(notice: Notice) -> None:
        loop.call_soon_threadsafe(hand_over, notice)

    unsubscribe = node.notifications.subscribe(caller.user, from_any_thread)

    async def stream() -> AsyncIterator[bytes]:
        try:
            yield b": connected\n\n"
            while True:
                try:
                    notice = await asyncio.wait_for(queue.get(), KEEPALIVE_S)
                except TimeoutError:
                    yield b": keep-alive\n\n"
                    continue
                yield _event(notice)
        finally:
            unsubscribe()

    return StreamingResponse(stream(), media_type="text/event-stream",
                             headers={"X-Accel-Buffering": "no"})
