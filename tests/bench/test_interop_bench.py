"""The interoperability benchmark runs end to end on SQLite at tiny sizes and ends with its
figures line: STIX and MISP files imported and exported by ``passerelle`` processes on fresh
nodes, the baselines, and two bundles imported while their memory is sampled."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"
RATES = ("stix_import_objs_per_s", "stix_export_objs_per_s", "misp_import_objs_per_s",
         "misp_export_objs_per_s", "misp_feed_export_objs_per_s", "big_import_objs_per_s",
         "small_import_objs_per_s", "big_read_objs_per_s", "stix_parse_map_objs_per_s",
         "stix_stream_map_objs_per_s", "misp_read_objs_per_s", "stix_write_objs_per_s",
         "misp_write_objs_per_s")
MEMORY = ("big_peak_rss_mb", "small_peak_rss_mb", "big_read_peak_rss_mb",
          "stix_import_peak_rss_mb")


@pytest.mark.slow
def test_interop_benchmark_imports_and_exports_every_record_and_ends_with_its_figures(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        tmp_path: Path) -> None:
    monkeypatch.syspath_prepend(str(BENCH))
    # Loaded from its file under a name of its own: "interop" is also the test package
    # tests/interop, which the rest of the suite may have imported first.
    spec = importlib.util.spec_from_file_location("bench_interop", BENCH / "interop.py")
    assert spec is not None
    assert spec.loader is not None
    interop = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "bench_interop", interop)
    spec.loader.exec_module(interop)

    status = interop.main(["--quick", "--objects", "300", "--big-gb", "0.001",
                           "--workdir", str(tmp_path)])

    lines = capsys.readouterr().out.strip().splitlines()
    figures = dict(pair.split("=", 1) for pair in lines[-1].split())
    assert status == 0
    assert all(line.startswith("#") for line in lines[:-1])
    assert (figures["backend"], figures["objects"], figures["rounds"]) == ("sqlite", "300", "1")
    assert set(RATES + MEMORY) <= figures.keys()
    assert all(float(figures[key]) > 0 for key in RATES + MEMORY)
    assert int(figures["stix_import_records"]) == 300 - 13  # all but the context objects
    assert figures["misp_import_records"] == figures["misp_elements"]
    assert 0 < int(figures["export_records"]) <= int(figures["stix_import_records"])
    assert int(figures["big_records"]) == int(figures["big_objects"]) - 13
    assert figures["big_gb"] == "0.001"
    assert not any(tmp_path.iterdir())  # files, databases and keys are deleted
