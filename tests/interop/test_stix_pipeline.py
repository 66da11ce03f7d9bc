"""A bundle read in chunks gives exactly what reading it whole gives."""

from __future__ import annotations

import gc
import json

import pytest
from tests.interop.examples import full_records

from passerelle.errors import InvalidStix
from passerelle.interop.stix import ImportedObject, bundle, import_bundle
from passerelle.interop.stix.pipeline import collector_paused, read_in_chunks


def _data() -> bytes:
    document = bundle(full_records())
    document["objects"].append({"type": "malware", "spec_version": "2.1",
                                "id": "malware--00000000-0000-4000-8000-000000000000"})
    return json.dumps(document).encode()


def _view(item: ImportedObject) -> tuple[object, ...]:
    error = item.error
    return (item.index, item.stix_id, item.record,
            None if error is None else (type(error), error.detail, error.field))


def test_chunks_hold_every_object_in_order() -> None:
    data = _data()
    chunks = list(read_in_chunks(data, default_owner="fr", chunk=3))
    assert all(len(chunk) <= 3 for chunk in chunks)
    flat = [item for chunk in chunks for item in chunk]
    assert [_view(item) for item in flat] == [
        _view(item) for item in import_bundle(data, default_owner="fr")]
    assert any(item.error is not None for item in flat), "the unsupported object is reported"


def test_a_broken_bundle_is_refused_before_the_first_chunk() -> None:
    with pytest.raises(InvalidStix) as error:
        next(read_in_chunks(b'{"type": "bundle", "objects": 7}', default_owner="fr"))
    assert error.value.field is not None


def _fail_while_paused() -> None:
    with collector_paused():
        assert not gc.isenabled()
        raise RuntimeError("the import failed")


def test_the_collector_is_paused_during_an_import_and_restored_after_a_failure() -> None:
    assert gc.isenabled()
    with pytest.raises(RuntimeError):
        _fail_while_paused()
    assert gc.isenabled()
