"""The fast path for simple STIX patterns never accepts what the full grammar refuses."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from passerelle.errors import InvalidStix
from passerelle.interop.stix.patterns import _grammar_errors, _simple, check_pattern

objects = st.sampled_from(["ipv4-addr", "domain-name", "url", "file", "email-addr", "x-thing"])
paths = st.sampled_from(["value", "name", "hashes.'SHA-256'", "hashes.MD5", "hashes.'SHA-1'",
                         "hashes.'SHA-512'", "extensions.'a-b'.c[0]", "refs[*].value"])
values = st.one_of(st.text(max_size=20), st.from_regex(r"[0-9a-f]{0,130}", fullmatch=True))


@settings(max_examples=300, deadline=None)
@given(objects, paths, st.sampled_from(["=", "!=", " = "]), values)
def test_whatever_the_fast_path_accepts_the_grammar_accepts(
        kind: str, path: str, operator: str, value: str) -> None:
    literal = value.replace("\\", "\\\\").replace("'", "\\'")
    pattern = f"[{kind}:{path}{operator}'{literal}']"
    if _simple(pattern):
        assert _grammar_errors(pattern) == ()


@pytest.mark.parametrize("pattern", [
    "[ipv4-addr:value = '203.0.113.7']",
    "[domain-name:value = 'relay-17.example']",
    "[file:hashes.'SHA-256' = '" + "a" * 64 + "']",
])
def test_common_indicators_take_the_fast_path(pattern: str) -> None:
    assert _simple(pattern)
    check_pattern(pattern, "pattern")


@pytest.mark.parametrize("pattern", [
    "[file:hashes.'SHA-256' = 'abc']",
    "[ipv4-addr:value = '1.2.3.4'",
    "[ipv4-addr:value = '1.2.3.4'] AND ",
])
def test_broken_patterns_are_refused(pattern: str) -> None:
    with pytest.raises(InvalidStix):
        check_pattern(pattern, "pattern")
