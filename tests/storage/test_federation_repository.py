"""The contract of ``ports.FederationRepository``, run on the fake, SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

from passerelle.domain.agencies import DEFAULT_AGENCIES
from passerelle.domain.releases import Change, Release
from passerelle.domain.transfers import BasisKind, LegalBasis, TransferRecord
from passerelle.ports import TransferQuery, UnitOfWorkFactory

T0 = dt.datetime(2026, 11, 22, 9, 0, tzinfo=dt.UTC)
US = dt.timedelta(microseconds=1)


def _agreement(expires: dt.date | None = None) -> LegalBasis:
    return LegalBasis("ma", BasisKind.AGREEMENT, "Accord de coopération policière FR-MA",
                      "", T0, "admin-fr", expires)


def _transfer(n: int, recipient: str = "ma") -> TransferRecord:
    return TransferRecord(f"transfer--{n:04d}", T0 + n * US, "fr", recipient,
                          f"person--{n:04d}", 1, BasisKind.AGREEMENT, "Accord", "",
                          "ab" * 32, "person v1, TLP:AMBER, H1", "taxii")


class TestFederationRepository:
    """Behaviour shared by every ``FederationRepository``."""

    def test_legal_bases_are_recorded_replaced_and_listed(
            self, uow_factory: UnitOfWorkFactory) -> None:
        with uow_factory() as uow:
            for agency in DEFAULT_AGENCIES:
                uow.agencies.upsert(agency)
            uow.federation.set_basis(_agreement())
            uow.commit()
        with uow_factory() as uow:
            assert uow.federation.basis("ma") == _agreement()
            assert uow.federation.basis("es") is None
            uow.federation.set_basis(_agreement(dt.date(2027, 12, 31)))
            uow.commit()
        with uow_factory() as uow:
            assert uow.federation.bases() == [_agreement(dt.date(2027, 12, 31))]

    def test_transfers_are_kept_in_order_and_filtered(
            self, uow_factory: UnitOfWorkFactory) -> None:
        with uow_factory() as uow:
            uow.federation.add_transfers([_transfer(1), _transfer(2, "es"), _transfer(3)])
            uow.commit()
        with uow_factory() as uow:
            everything = uow.federation.transfers(TransferQuery(), 0, 10)
            assert [t.id for _, t in everything] == [
                "transfer--0001", "transfer--0002", "transfer--0003"]
            assert everything[0][1] == _transfer(1)
            to_morocco = uow.federation.transfers(TransferQuery(recipient="ma"), 0, 10)
            assert [t.id for _, t in to_morocco] == ["transfer--0001", "transfer--0003"]
            after = uow.federation.transfers(TransferQuery(), everything[0][0], 1)
            assert [t.id for _, t in after] == ["transfer--0002"]
            later = uow.federation.transfers(TransferQuery(since=T0 + 2 * US), 0, 10)
            assert [t.id for _, t in later] == ["transfer--0002", "transfer--0003"]

    def test_the_feed_pages_by_keyset_per_partner(self, uow_factory: UnitOfWorkFactory) -> None:
        releases = [Release("ma" if i % 2 else "es", f"person--{i:04d}", 1, Change.SHARED,
                            T0 + i * US) for i in range(10)]
        with uow_factory() as uow:
            for agency in DEFAULT_AGENCIES:  # feeds belong to registered partners
                uow.agencies.upsert(agency)
            uow.federation.append_releases(releases)
            uow.commit()
        with uow_factory() as uow:
            assert uow.federation.last_date_added() == T0 + 9 * US
            first = uow.federation.feed("ma", None, None, 3)
            assert [r.record_id for r in first] == ["person--0001", "person--0003",
                                                    "person--0005"]
            assert all(r.seq > 0 for r in first)
            last = first[-1]
            rest = uow.federation.feed("ma", (last.date_added, last.seq), None, 10)
            assert [r.record_id for r in rest] == ["person--0007", "person--0009"]
            since = uow.federation.feed("ma", None, T0 + 5 * US, 10)
            assert [r.record_id for r in since] == ["person--0007", "person--0009"]

    def test_latest_change_per_partner(self, uow_factory: UnitOfWorkFactory) -> None:
        with uow_factory() as uow:
            uow.federation.append_releases([
                Release("ma", "person--0001", 1, Change.SHARED, T0),
                Release("es", "person--0001", 1, Change.SHARED, T0 + US),
                Release("ma", "person--0001", 2, Change.WITHDRAWN, T0 + 2 * US),
                Release("ma", "person--0002", 1, Change.SHARED, T0 + 3 * US),
            ])
            uow.commit()
        with uow_factory() as uow:
            latest = uow.federation.latest_changes("person--0001")
            assert {p: (r.version, r.change) for p, r in latest.items()} == {
                "ma": (2, Change.WITHDRAWN), "es": (1, Change.SHARED)}
            assert uow.federation.latest_changes("person--9999") == {}

    def test_consents_are_idempotent(self, uow_factory: UnitOfWorkFactory) -> None:
        with uow_factory() as uow:
            uow.federation.grant_consent("person--0001", "be", "liaison-es", T0)
            uow.federation.grant_consent("person--0001", "be", "liaison-es", T0)
            uow.federation.grant_consent("person--0001", "ma", "liaison-es", T0)
            uow.commit()
        with uow_factory() as uow:
            assert uow.federation.consents("person--0001") == {"be", "ma"}
            assert uow.federation.consents("person--0002") == frozenset()

    def test_nothing_is_kept_without_commit(self, uow_factory: UnitOfWorkFactory) -> None:
        with uow_factory() as uow:
            uow.federation.add_transfers([_transfer(1)])
            uow.federation.append_releases([Release("ma", "person--0001", 1, Change.SHARED, T0)])
        with uow_factory() as uow:
            assert uow.federation.transfers(TransferQuery(), 0, 10) == []
            assert uow.federation.last_date_added() is None

    def test_checkpoints_only_move_forward(self, uow_factory: UnitOfWorkFactory) -> None:
        with uow_factory() as uow:
            assert uow.federation.checkpoint("es") is None
            uow.federation.set_checkpoint("es", T0 + 5 * US, T0)
            uow.federation.set_checkpoint("es", T0 + 2 * US, T0)
            uow.commit()
        with uow_factory() as uow:
            assert uow.federation.checkpoint("es") == T0 + 5 * US
            assert uow.federation.checkpoint("be") is None
