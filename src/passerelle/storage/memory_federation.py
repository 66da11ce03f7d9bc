"""The in-memory federation repository: legal bases, transfers, the release feed, consents and
checkpoints, copied per unit of work and applied on commit (see ``storage.memory``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from passerelle.domain.releases import Release, Which
from passerelle.domain.transfers import LegalBasis, TransferRecord
from passerelle.ports import SyncCheckpoint, TransferQuery
from passerelle.storage.types import as_utc


@dataclass
class FederationState:
    """Legal bases, transfers, the release feed and consents (copied per unit of work)."""

    bases: dict[str, LegalBasis] = field(default_factory=dict)
    transfers: list[TransferRecord] = field(default_factory=list)
    releases: list[Release] = field(default_factory=list)
    consents: dict[str, set[str]] = field(default_factory=dict)
    checkpoints: dict[str, dt.datetime] = field(default_factory=dict)
    pulled_at: dict[str, dt.datetime] = field(default_factory=dict)

    def copy(self) -> FederationState:
        return FederationState(dict(self.bases), list(self.transfers), list(self.releases),
                                {k: set(v) for k, v in self.consents.items()},
                                dict(self.checkpoints), dict(self.pulled_at))


class MemoryFederationRepository:
    """``ports.FederationRepository`` in memory."""

    def __init__(self, state: FederationState) -> None:
        self.state = state

    def basis(self, partner: str) -> LegalBasis | None:
        return self.state.bases.get(partner)

    def set_basis(self, basis: LegalBasis) -> None:
        self.state.bases[basis.partner] = basis

    def bases(self) -> list[LegalBasis]:
        return [self.state.bases[k] for k in sorted(self.state.bases)]

    def add_transfers(self, transfers: Sequence[TransferRecord]) -> None:
        self.state.transfers.extend(transfers)

    def transfers(self, query: TransferQuery, after_seq: int, limit: int
                  ) -> list[tuple[int, TransferRecord]]:
        found = [(seq, t) for seq, t in enumerate(self.state.transfers, 1) if seq > after_seq
                 and (query.recipient is None or t.recipient == query.recipient)
                 and (query.record_id is None or t.record_id == query.record_id)
                 and (query.since is None or t.at >= as_utc(query.since))
                 and (query.until is None or t.at < as_utc(query.until))]
        return found[:max(limit, 0)]

    def append_releases(self, releases: Sequence[Release]) -> None:
        base = len(self.state.releases)
        self.state.releases.extend(
            replace(r, seq=base + i) for i, r in enumerate(releases, 1))

    def last_date_added(self) -> dt.datetime | None:
        return max((r.date_added for r in self.state.releases), default=None)

    def feed(self, partner: str, after: tuple[dt.datetime, int] | None,
             added_after: dt.datetime | None, limit: int, which: Which = "all"
             ) -> list[Release]:
        mine = [r for r in self.state.releases if r.partner == partner]
        if which != "all":
            kept: dict[str, Release] = {}
            for release in mine:
                if which == "last" or release.record_id not in kept:
                    kept[release.record_id] = release
            mine = list(kept.values())
        rows = sorted((r for r in mine
                       if (after is None or (r.date_added, r.seq) > after)
                       and (added_after is None or r.date_added > added_after)),
                      key=lambda r: (r.date_added, r.seq))
        return rows[:max(limit, 0)]

    def latest_changes(self, record_id: str) -> dict[str, Release]:
        latest: dict[str, Release] = {}
        for release in self.state.releases:
            if release.record_id == record_id:
                latest[release.partner] = release
        return latest

    def consents(self, record_id: str) -> frozenset[str]:
        return frozenset(self.state.consents.get(record_id, ()))

    def consents_of(self, record_ids: Sequence[str]) -> dict[str, frozenset[str]]:
        return {rid: frozenset(self.state.consents[rid]) for rid in set(record_ids)
                if self.state.consents.get(rid)}

    def checkpoint(self, partner: str) -> dt.datetime | None:
        return self.state.checkpoints.get(partner)

    def set_checkpoint(self, partner: str, date_added: dt.datetime, at: dt.datetime) -> None:
        current = self.state.checkpoints.get(partner)
        if current is None or date_added > current:
            self.state.checkpoints[partner] = date_added
            self.state.pulled_at[partner] = as_utc(at)

    def checkpoints(self) -> dict[str, SyncCheckpoint]:
        return {partner: SyncCheckpoint(date_added, self.state.pulled_at[partner])
                for partner, date_added in self.state.checkpoints.items()}

    def grant_consent(self, record_id: str, agency_id: str, granted_by: str,
                      at: dt.datetime) -> None:
        self.state.consents.setdefault(record_id, set()).add(agency_id)
