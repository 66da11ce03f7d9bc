"""docs/stix-mapping.md names every published id: partners configure their tools from it."""

from __future__ import annotations

from pathlib import Path

import pytest

from passerelle.interop.stix import EXTENSIONS, PASSERELLE_IDENTITY_ID, TLP2_MARKING_IDS
from passerelle.interop.stix.extensions import Extension
from passerelle.interop.stix.identifiers import (
    ALERT_TYPE,
    DOCUMENT_TYPE,
    EVENT_TYPE,
    NAMESPACE,
)

DOC = Path(__file__).resolve().parents[2] / "docs" / "stix-mapping.md"


@pytest.mark.parametrize("extension", EXTENSIONS, ids=lambda e: e.key)
def test_every_extension_definition_is_documented_with_its_id(extension: Extension) -> None:
    text = DOC.read_text(encoding="utf-8")
    assert extension.id in text
    assert extension.schema_file in text


def test_published_identities_types_and_tlp_ids_are_documented() -> None:
    text = DOC.read_text(encoding="utf-8")
    for value in (PASSERELLE_IDENTITY_ID, str(NAMESPACE), DOCUMENT_TYPE, EVENT_TYPE, ALERT_TYPE,
                  *TLP2_MARKING_IDS.values()):
        assert value in text
