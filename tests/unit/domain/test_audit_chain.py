"""The audit chain detects alteration, insertion and removal."""

from __future__ import annotations

import dataclasses
import datetime as dt

from passerelle.domain.audit import (
    GENESIS,
    AuditAction,
    AuditEntry,
    AuditEvent,
    seal,
    seal_head,
    verify_chain,
)

KEY = b"k" * 32
T0 = dt.datetime(2026, 11, 22, 9, 0, tzinfo=dt.UTC)


def chain(n: int) -> list[AuditEntry]:
    entries, prev = [], GENESIS
    for i in range(1, n + 1):
        event = AuditEvent(AuditAction.CONSULTATION, "user:u1", "fr", f"person--{i}",
                           "case 2026/17", {"i": i})
        entry = seal(KEY, i, T0 + dt.timedelta(seconds=i), event, prev)
        entries.append(entry)
        prev = entry.hash
    return entries


def test_intact_chain_verifies() -> None:
    entries = chain(5)
    assert verify_chain(KEY, entries, seal_head(KEY, 5, entries[-1].hash)).ok


def test_altered_justification_names_the_entry() -> None:
    entries = chain(5)
    entries[2] = dataclasses.replace(entries[2], justification="curiosity")
    report = verify_chain(KEY, entries)
    assert report.broken_seq == 3


def test_removed_middle_entry_is_detected() -> None:
    entries = chain(5)
    del entries[1]
    assert verify_chain(KEY, entries).broken_seq == 2


def test_removed_last_entry_is_detected_by_the_head() -> None:
    entries = chain(5)
    head = seal_head(KEY, 5, entries[-1].hash)
    assert verify_chain(KEY, entries[:-1], head).broken_seq == 5


def test_chain_resealed_without_the_key_does_not_verify() -> None:
    entries = chain(3)
    forged = [seal(b"other-key" * 4, e.seq, e.at, AuditEvent(e.action, e.actor, e.agency_id,
                   e.record_id, e.justification, e.details), e.prev_hash) for e in entries]
    assert verify_chain(KEY, forged).broken_seq == 1


def test_head_moved_back_without_the_key_is_detected() -> None:
    entries = chain(5)
    forged = dataclasses.replace(seal_head(KEY, 5, entries[-1].hash), seq=4,
                                 hash=entries[3].hash)
    assert verify_chain(KEY, entries[:-1], forged).broken_seq == 4
