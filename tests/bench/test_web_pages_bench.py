"""The web pages benchmark runs end to end on SQLite at tiny sizes: a node seeded and served
over HTTP, three users signed in through the login and purpose forms, every page and its API
baseline timed, the table printed and the figures line last."""

from __future__ import annotations

import importlib.util
import json
import re
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"
PROBES = ("floor", "dashboard", "search_name", "search_spelling", "search_arabic", "record",
          "review", "hits", "audit")
TIMINGS = ("page_p50_ms", "page_p95_ms", "api_p50_ms", "api_p95_ms", "ratio")
LABELS = ("purpose form, no data", "dashboard", "search, common name", "search, other spelling",
          "search, Arabic script", "person's record", "review queue", "hits inbox",
          "audit by user")


@pytest.mark.slow
def test_web_pages_benchmark_times_every_page_against_its_api_baseline(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        tmp_path: Path) -> None:
    monkeypatch.syspath_prepend(str(BENCH))
    # Loaded from its file under a name of its own, as the other bench smoke tests do.
    spec = importlib.util.spec_from_file_location("bench_web_pages", BENCH / "web_pages.py")
    assert spec is not None
    assert spec.loader is not None
    web_pages = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "bench_web_pages", web_pages)
    spec.loader.exec_module(web_pages)
    out = tmp_path / "out" / "figures.json"
    workdir = tmp_path / "work"

    status = web_pages.main(["--people", "200", "--repeat", "3", "--warmup", "1",
                             "--alerts", "40", "--travellers", "40", "--hits", "5",
                             "--workdir", str(workdir), "--json-out", str(out)])

    lines = capsys.readouterr().out.strip().splitlines()
    figures = dict(pair.split("=", 1) for pair in lines[-1].split())
    assert status == 0
    assert all(line.startswith("#") for line in lines[:-1])
    table = [line for line in lines if re.search(r" \d+\.\d\dx ", line)]
    assert len(table) == len(LABELS)
    assert all(row.startswith(f"# {label}") for row, label in zip(table, LABELS, strict=True))
    assert (figures["backend"], figures["people"], figures["repeat"]) == ("sqlite", "200", "3")
    assert int(figures["candidates"]) > 0
    assert figures["hits"] == "5"
    assert all(float(figures[f"{probe}_{key}"]) > 0 for probe in PROBES for key in TIMINGS)
    written = json.loads(out.read_text())
    assert [p["key"] for p in written["probes"]] == list(PROBES)
    assert all(len(p["page_ms"]) == len(p["api_ms"]) == 3 for p in written["probes"])
    assert not any(workdir.iterdir())  # the SQLite database is deleted
