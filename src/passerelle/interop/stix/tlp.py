"""TLP 2.0 as STIX carries it: the five standard marking-definitions of FIRST TLP 2.0.

These ids are facts published in oasis-open/cti-stix-common-objects; every TLP 2.0 producer must
use exactly them, so they live here (a user's clone has no test data to read them from) and a
test compares them with the published objects when those are at hand. TLP is a sharing label:
it never stands in for the handling code or the PAP, which travel in Passerelle's extension.

TLP 1.0 markings (STIX 2.1 section 7.2.1.4) are still what many producers send. They are read as
their TLP 2.0 successors (WHITE became CLEAR, the others kept their names) and never written.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Final

from passerelle.domain.markings import Tlp
from passerelle.errors import InvalidStix

TLP2_EXTENSION_ID: Final = "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d"
TLP2_CREATED: Final = "2022-10-01T00:00:00.000Z"

TLP2_MARKING_IDS: Final[dict[Tlp, str]] = {
    Tlp.CLEAR: "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487",
    Tlp.GREEN: "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb",
    Tlp.AMBER: "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421",
    Tlp.AMBER_STRICT: "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003",
    Tlp.RED: "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1",
}

TLP1_MARKING_IDS: Final[dict[str, Tlp]] = {
    "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9": Tlp.CLEAR,  # TLP:WHITE
    "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da": Tlp.GREEN,
    "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82": Tlp.AMBER,
    "marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed": Tlp.RED,
}

TLP_OF_MARKING: Final[dict[str, Tlp]] = {
    **{marking: tlp for tlp, marking in TLP2_MARKING_IDS.items()},
    **TLP1_MARKING_IDS,
}
"""Every marking-definition id that any STIX 2.1 consumer knows without a definition."""


def tlp_marking_definition(tlp: Tlp) -> dict[str, Any]:
    """The standard marking-definition object for ``tlp``, as published by OASIS."""
    return {
        "type": "marking-definition",
        "spec_version": "2.1",
        "id": TLP2_MARKING_IDS[tlp],
        "created": TLP2_CREATED,
        "name": f"TLP:{tlp.value}",
        "extensions": {
            TLP2_EXTENSION_ID: {
                "extension_type": "property-extension",
                "tlp_2_0": tlp.value.lower(),
            }
        },
    }


def tlp_of_marking_refs(refs: Iterable[str], field: str, *, others: bool = False
                        ) -> Tlp | None:
    """The one TLP level among ``refs`` (None if there is none).

    Markings other than TLP are refused rather than dropped, unless ``others`` says the caller
    keeps them (an importer that keeps a partner's statement markings with the record and writes
    them back: ``interop.stix.leftovers``). Two different TLP levels on one object are ambiguous
    and refused.
    """
    found: Tlp | None = None
    for index, ref in enumerate(refs):
        tlp = TLP_OF_MARKING.get(ref)
        if tlp is None and others:
            continue
        if tlp is None:
            raise InvalidStix(
                f"{ref!r} is not a TLP marking; Passerelle records carry TLP 2.0 only, with "
                "handling codes in Passerelle's extension",
                field=f"{field}[{index}]",
            )
        if found is not None and tlp is not found:
            raise InvalidStix(f"both TLP:{found.value} and TLP:{tlp.value}",
                              field=f"{field}[{index}]")
        found = tlp
    return found
