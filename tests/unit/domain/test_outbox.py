"""Back-off of the outbox: doubling from one second, capped at five minutes, with a jitter
that is the same for the same item and attempt."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from passerelle.domain.outbox import (
    ERROR_MAX,
    JITTER,
    MAX_RETRY,
    retry_delay,
    short_error,
    version_of,
)

SECOND = dt.timedelta(seconds=1)


def test_the_delay_doubles_from_one_second_up_to_five_minutes() -> None:
    delays = [retry_delay("item-1", attempts) for attempts in range(1, 13)]
    for attempts, delay in enumerate(delays, 1):
        nominal = min(SECOND * 2 ** (attempts - 1), MAX_RETRY)
        assert nominal * (1 - JITTER) <= delay <= nominal
    assert delays[-1] > dt.timedelta(minutes=4)


def test_the_jitter_is_reproducible_and_spreads_items_that_failed_together() -> None:
    assert retry_delay("item-1", 3) == retry_delay("item-1", 3)
    spread = {retry_delay(f"item-{n}", 3) for n in range(20)}
    assert len(spread) > 10


@given(st.text(min_size=1, max_size=40), st.integers(min_value=0, max_value=10_000))
def test_a_delay_is_never_zero_nor_above_the_cap(item_id: str, attempts: int) -> None:
    delay = retry_delay(item_id, attempts)
    assert delay <= MAX_RETRY
    assert delay >= SECOND * (1 - JITTER)


def test_the_version_is_modified_then_created_then_empty() -> None:
    assert version_of({"created": "a", "modified": "b"}) == "b"
    assert version_of({"created": "a"}) == "a"
    assert version_of({"id": "x"}) == ""


def test_a_long_error_is_cut() -> None:
    assert short_error("x" * 5) == "x" * 5
    assert len(short_error("x" * (ERROR_MAX * 3))) == ERROR_MAX


def test_a_partner_that_cannot_be_reached_is_asked_again_within_thirty_seconds() -> None:
    from passerelle.domain.outbox import PARTNER_MAX_RETRY
    assert retry_delay("partner:fr", 30, PARTNER_MAX_RETRY) <= dt.timedelta(seconds=30)
    assert retry_delay("partner:fr", 3, PARTNER_MAX_RETRY) == retry_delay("partner:fr", 3)
