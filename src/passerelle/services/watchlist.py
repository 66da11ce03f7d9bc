"""The node's consolidated watchlist: its own alerts and every partner alert it holds, indexed
for screening by the matching engine and kept current incrementally.

Every alert this node holds may be screened against: a partner's alert reaches this node only
through the release policy (releasability, TLP:RED recipients, handling codes) and the
transfer law, so holding it is being allowed to see it. A person alert is filed in the
matcher (``matching.Matcher``) under its subject's names, dates and places; a document alert
(``document_to_seize``) under the confusion-folded number of its subject document.

The index follows the database, not the code paths that write it: :meth:`Watchlist.catch_up`
reads the audit log after the last entry it saw (every creation, change and erasure of a record
is audited, in commit order) and re-reads the alerts and subjects those entries name. Whatever
process stored the change (the API, a CLI sync, a push from a partner) the next catch-up sees
it, and only the changed alerts are re-indexed: no full rebuild. A withdrawn, erased or expired
alert never produces a candidate (validity is checked again at every query).

One lock guards the index: the matcher is not thread-safe, and screening jobs, record checks
and catch-ups run on different threads.
"""

from __future__ import annotations

import datetime as dt
import gc
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from passerelle.domain.audit import AuditAction
from passerelle.domain.records import Alert, Document, Person, Record, RecordKind
from passerelle.matching.documents import DocumentAgreement, compare_documents, confusion_key
from passerelle.matching.matcher import Matcher
from passerelle.matching.model import Comparison, Feature, Hit, MatchingInputError, PersonEntry
from passerelle.matching.parallel import can_fork, forked_queries
from passerelle.ports import AuditQuery, RecordQuery, UnitOfWork, UnitOfWorkFactory

PAGE = 2000
BULK = 1000
"""More alerts than this in one catch-up are indexed in bulk (a merge of the index's arrays,
worth it for a load); fewer are added one by one, beside the arrays, as the matcher's
incremental path does."""
CHANGES = frozenset({AuditAction.COLLECTION, AuditAction.ALTERATION, AuditAction.ERASURE})
DOCUMENT_SCORES = {DocumentAgreement.SAME: 0.99, DocumentAgreement.CONFUSED: 0.95,
                   DocumentAgreement.CHECK_DIGIT: 0.95}


@dataclass(frozen=True, slots=True)
class WatchedAlert:
    """What the index keeps of an alert: enough to decide whether it may raise a candidate."""

    record: Record
    subject: Record

    @property
    def alert(self) -> Alert:
        """The alert's details."""
        details = self.record.details
        assert isinstance(details, Alert)
        return details


@dataclass(frozen=True, slots=True)
class Match:
    """An alert found for a check, with the comparison that found it."""

    watched: WatchedAlert
    comparison: Comparison


def person_entry(entry_id: str, person: Person) -> PersonEntry:
    """A person record as the matcher reads it."""
    scripts = person.names_original_script
    return PersonEntry(
        id=entry_id, given_name=person.given_names, family_name=person.family_name,
        name_original_script=scripts[0] if scripts else "",
        aliases=(*scripts[1:], *person.aliases),
        date_of_birth=person.date_of_birth.isoformat() if person.date_of_birth else "",
        place_of_birth=person.place_of_birth, nationalities=person.nationalities)


class Watchlist:
    """The screening index of the node of ``agency_id`` (see the module docstring)."""

    def __init__(self, transactions: UnitOfWorkFactory, agency_id: str) -> None:
        self._transactions = transactions
        self._agency_id = agency_id
        self._lock = threading.RLock()
        self._matcher = Matcher()
        self._alerts: dict[str, WatchedAlert] = {}
        self._by_subject: dict[str, set[str]] = {}
        self._documents: dict[str, set[str]] = {}
        self._seen = -1  # audit seq read up to; -1 until loaded

    # -- loading and following changes ----------------------------------------------------

    @property
    def loaded(self) -> bool:
        """Whether the index was built."""
        return self._seen >= 0

    def __len__(self) -> int:
        return len(self._alerts)

    def load(self) -> int:
        """Build the index from every alert held; the number indexed."""
        with self._lock, self._transactions() as tx:
            head = tx.audit.head()
            alerts: list[Record] = []
            after: str | None = None
            while page := tx.records.search(RecordQuery(kinds=frozenset({RecordKind.ALERT})),
                                            after, PAGE):
                alerts += page
                after = page[-1].id
            self._replace(tx, alerts, ())
            self._seen = head.seq if head is not None else 0
        # The index lives as long as the process: its records and entries (a million objects
        # for 100,000 alerts) are moved out of the cyclic collector's sight, as the server
        # does with its start-up objects (api.collector), or each full collection walks them
        # all and pauses requests and hit reports for a third of a second.
        gc.collect()
        gc.freeze()
        return len(self._alerts)

    def catch_up(self) -> int:
        """Apply every change stored since the last catch-up (loading first if need be);
        the number of alerts re-read."""
        if not self.loaded:
            return self.load()
        with self._lock, self._transactions() as tx:
            changed: dict[str, None] = {}
            while entries := tx.audit.entries(AuditQuery(), self._seen, PAGE):
                for entry in entries:
                    if entry.action in CHANGES and entry.record_id:
                        changed[entry.record_id] = None
                self._seen = entries[-1].seq
            ids = list(changed)
            alert_ids = {i for i in ids if i.startswith("alert--")}
            for subject in ids:
                alert_ids |= self._by_subject.get(subject, set())
            current = tx.records.get_many(sorted(alert_ids))
            self._replace(tx, current, sorted(alert_ids - {r.id for r in current}))
        return len(alert_ids)

    def _replace(self, tx: UnitOfWork, alerts: Sequence[Record], gone: Iterable[str]) -> None:
        for alert_id in gone:
            self._drop(alert_id)
        subjects = {r.id: r for r in tx.records.get_many(
            sorted({r.details.subject for r in alerts if isinstance(r.details, Alert)}))}
        entries: list[PersonEntry] = []
        for record in alerts:
            self._drop(record.id)
            details = record.details
            if not isinstance(details, Alert):
                continue
            # Filed under its subject even before the subject arrives (objects pushed
            # together may be stored in either order): the subject's arrival re-reads it.
            self._by_subject.setdefault(details.subject, set()).add(record.id)
            subject = subjects.get(details.subject)
            if subject is None:
                continue
            watched = WatchedAlert(record, subject)
            self._alerts[record.id] = watched
            if isinstance(subject.details, Person):
                entries.append(person_entry(record.id, subject.details))
            elif isinstance(subject.details, Document):
                key = confusion_key(subject.details.number)
                self._documents.setdefault(key, set()).add(record.id)
        if len(entries) > BULK:
            self._matcher.add_many(entries)  # one merge of the index's arrays
        else:
            for entry in entries:  # a few changes: filed beside the arrays, no merge
                self._matcher.add(entry)

    def _drop(self, alert_id: str) -> None:
        watched = self._alerts.pop(alert_id, None)
        if watched is None:
            return  # a waiting alert stays filed under its subject until it is re-read
        self._by_subject.get(watched.subject.id, set()).discard(alert_id)
        if alert_id in self._matcher:
            self._matcher.remove(alert_id)
        if isinstance(watched.subject.details, Document):
            self._documents.get(confusion_key(watched.subject.details.number),
                                set()).discard(alert_id)

    # -- screening ------------------------------------------------------------------------

    def screen_person(self, entry: PersonEntry, at: dt.datetime, *,
                      exclude_owner: str | None = None) -> list[Match]:
        """Alerts active at ``at`` whose subject could be this person (and, when the entry
        carries a document, document alerts on that document)."""
        with self._lock:
            try:
                hits = self._matcher.query(entry)
            except MatchingInputError:
                hits = []
            return self._resolve(entry, hits, at, exclude_owner)

    @contextmanager
    def batch(self, workers: int) -> Iterator[Callable[[Sequence[PersonEntry], dt.datetime],
                                                      list[list[Match]]]]:
        """A function screening many people at once, across ``workers`` processes forked
        from the index as it is now (``matching.parallel``); each hit is checked against
        the watchlist as it is when the batch returns, so an alert withdrawn meanwhile
        raises nothing (one raised meanwhile is seen by the next batch opened)."""
        if workers < 2 or not can_fork():
            yield lambda entries, at: [self.screen_person(e, at) for e in entries]
            return
        with self._lock:  # no change to the index while it is copied
            forked = forked_queries(self._matcher, workers)
            answer = forked.__enter__()
        try:
            yield lambda entries, at: [self._resolve(entry, hits, at) for entry, hits
                                       in zip(entries, answer(entries), strict=True)]
        finally:
            forked.__exit__(None, None, None)

    def _resolve(self, entry: PersonEntry, hits: Sequence[Hit], at: dt.datetime,
                 exclude_owner: str | None = None) -> list[Match]:
        """The matches of ``hits`` (and of the entry's document) against the watchlist as
        it is now, active at ``at`` and not issued by ``exclude_owner``."""
        with self._lock:
            found = [Match(self._alerts[h.entry_id], h.comparison) for h in hits
                     if h.entry_id in self._alerts]
            if entry.document_number.strip():
                found += self._documents_matching(entry.document_number,
                                                  entry.document_country)
        return [m for m in found if m.watched.alert.active_at(at)
                and m.watched.record.owner_agency != exclude_owner]

    def screen_document(self, document: Document, at: dt.datetime, *,
                        exclude_owner: str | None = None) -> list[Match]:
        """Document alerts active at ``at`` on this document."""
        with self._lock:
            found = self._documents_matching(document.number, document.issuing_country)
        return [m for m in found if m.watched.alert.active_at(at)
                and m.watched.record.owner_agency != exclude_owner]

    def _documents_matching(self, number: str, country: str) -> list[Match]:
        found = []
        for alert_id in sorted(self._candidate_documents(number)):
            watched = self._alerts[alert_id]
            subject = watched.subject.details
            assert isinstance(subject, Document)
            agreement = compare_documents(number, subject.number, country,
                                          subject.issuing_country)
            score = DOCUMENT_SCORES.get(agreement)
            if score is None:
                continue
            features = [Feature("document_number", 10.0, agreement.value)]
            if country.strip():
                if country.strip().upper() != subject.issuing_country:
                    continue  # another country's document with a similar number
                features.append(Feature("document_country", 2.0,
                                        f"issued by {subject.issuing_country}"))
            found.append(Match(watched, Comparison(score, tuple(features))))
        return found

    def _candidate_documents(self, number: str) -> set[str]:
        key = confusion_key(number)
        found = set(self._documents.get(key, set()))
        if len(key) >= 6:  # the number read with its MRZ check digit, or without
            found |= self._documents.get(key[:-1], set())
        for stored_key in (f"{key}{digit}" for digit in "0123456789"):
            found |= self._documents.get(stored_key, set())
        return {alert_id for alert_id in found if alert_id in self._alerts}
