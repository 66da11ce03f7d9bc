"""A MISP feed written from Passerelle's events: the layout a MISP instance subscribes to
(manifest.json, one <uuid>.json per event, hashes.csv), written atomically, and events that
read back as the same records."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest

from passerelle.errors import InvalidMisp
from passerelle.interop.misp import events_from_records, write_feed

from .test_misp_import import (
    PASSPORT,
    PERSON,
    attribute,
    event,
    read,
)


def _md5(text: str) -> str:
    return hashlib.md5(text.encode(), usedforsecurity=False).hexdigest()


def _events() -> list[dict[str, Any]]:
    document = event(
        attribute("domain", "example.org"),
        attribute("filename|md5", "a.exe|d41d8cd98f00b204e9800998ecf8427e", 2),
        attribute("text", "context", 3),
        objects=(PERSON, PASSPORT),
        tags=("tlp:green",),
    )
    document["Event"]["Tag"].append({"name": "internal:only", "exportable": False})
    return events_from_records(read(document).records)


def test_the_manifest_lists_each_event_as_misp_s_feed_generator_does(tmp_path: Path) -> None:
    events = _events()
    summary = write_feed(events, tmp_path)
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    body = events[0]["Event"]
    assert list(manifest) == list(summary.events) == [body["uuid"]]
    assert manifest[body["uuid"]] == {
        "info": "Synthetic event", "date": "2026-01-01", "analysis": 2, "threat_level_id": 3,
        "timestamp": 1767225600, "Orgc": {"name": "Fictional CERT",
                                          "uuid": "6a1f0c2e-0000-4000-8000-000000000999"},
        "Tag": [{"name": "tlp:green"}]}


def test_each_event_has_its_own_file(tmp_path: Path) -> None:
    events = _events()
    write_feed(events, tmp_path)
    uuid = events[0]["Event"]["uuid"]
    assert json.loads((tmp_path / f"{uuid}.json").read_text()) == events[0]


def test_hashes_list_the_md5_of_every_value_and_of_each_part_of_composite_ones(
        tmp_path: Path) -> None:
    events = _events()
    summary = write_feed(events, tmp_path)
    uuid = summary.events[0]
    lines = (tmp_path / "hashes.csv").read_text().splitlines()
    values = ["example.org", "a.exe", "d41d8cd98f00b204e9800998ecf8427e", "context",
              "Amina", "Zahra", "Benali", "1990-04-17", "Oujda", "Moroccan", "Spain",
              "Female", "Amina B.", "+212 600 000 000", "MA0000001", "Morocco", "2031-05-02",
              "2021-05-03"]
    assert lines == [f"{_md5(value)},{uuid}" for value in values]
    assert (summary.attributes, summary.hashes) == (17, 18)


def test_a_feed_event_reads_back_as_the_same_records(tmp_path: Path) -> None:
    events = _events()
    summary = write_feed(events, tmp_path)
    first = read(json.dumps(events[0]))
    again = read((tmp_path / f"{summary.events[0]}.json").read_bytes())
    assert again.records == first.records
    assert again.errors == []


def test_writing_again_adds_events_and_replaces_the_ones_written_before(
        tmp_path: Path) -> None:
    [first] = _events()
    second = events_from_records(read(event(attribute("url", "https://example.net/x"),
                                            uuid="6a1f0c2e-0000-4000-8000-000000000555")
                                      ).records)[0]
    write_feed([first], tmp_path)
    write_feed([second, first], tmp_path)
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    assert sorted(manifest) == sorted([first["Event"]["uuid"],
                                       second["Event"]["uuid"]])
    lines = (tmp_path / "hashes.csv").read_text().splitlines()
    assert len(lines) == len(set(lines)) == 19


def test_no_temporary_file_is_left_behind(tmp_path: Path) -> None:
    summary = write_feed(_events(), tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["manifest.json", "hashes.csv", *(f"{uuid}.json" for uuid in summary.events)])


def test_an_event_without_uuid_cannot_go_into_a_feed(tmp_path: Path) -> None:
    with pytest.raises(InvalidMisp) as raised:
        write_feed([{"Event": {"info": "no uuid"}}], tmp_path)
    assert raised.value.field == "[0].Event.uuid"
