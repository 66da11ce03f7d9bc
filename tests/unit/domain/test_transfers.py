"""Transfer law: which legal basis fits which pair of agencies, and when personal data may go."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from tests.storage.samples import Samples

from passerelle.domain.agencies import DEFAULT_AGENCIES
from passerelle.domain.transfers import (
    BasisKind,
    LegalBasis,
    crosses_border,
    decide_transfer,
    digest_of,
)
from passerelle.errors import ValidationFailed

FR, ES, BE, MA = DEFAULT_AGENCIES
T0 = dt.datetime(2026, 11, 22, 9, 0, tzinfo=dt.UTC)
TODAY = T0.date()


def basis(kind: BasisKind, partner: str = "ma", reference: str = "Accord (fictional)",
          justification: str = "", expires: dt.date | None = None) -> LegalBasis:
    return LegalBasis(partner, kind, reference, justification, T0, "u-admin", expires)


def test_only_pairs_of_eu_members_stay_within_the_directive() -> None:
    assert not crosses_border(FR, ES)
    assert crosses_border(FR, MA)
    assert crosses_border(MA, FR)  # Morocco's own law (09-08) governs data leaving Morocco


def test_a_basis_must_fit_the_pair() -> None:
    basis(BasisKind.AGREEMENT).check_for(FR, MA)
    basis(BasisKind.EU_DIRECTIVE, "es").check_for(FR, ES)
    with pytest.raises(ValidationFailed) as error:
        basis(BasisKind.EU_DIRECTIVE).check_for(FR, MA)
    assert error.value.field == "kind"
    with pytest.raises(ValidationFailed) as error:
        basis(BasisKind.AGREEMENT, "es").check_for(FR, ES)
    assert error.value.field == "kind"
    with pytest.raises(ValidationFailed) as error:
        basis(BasisKind.AGREEMENT, reference=" ").check_for(FR, MA)
    assert error.value.field == "reference"
    with pytest.raises(ValidationFailed) as error:
        basis(BasisKind.DEROGATION, justification="urgent").check_for(FR, MA)
    assert error.value.field == "justification"
    with pytest.raises(ValidationFailed) as error:
        basis(BasisKind.AGREEMENT).check_for(FR, ES)
    assert error.value.field == "partner"


def test_personal_data_to_a_third_country_needs_a_basis_in_force() -> None:
    samples = Samples()
    person = samples.person()
    organisation = samples.organisation("Réseau fictif Sud")
    assert decide_transfer(person, FR, ES, None, TODAY)
    assert decide_transfer(organisation, FR, MA, None, TODAY)
    refused = decide_transfer(person, FR, MA, None, TODAY)
    assert not refused
    assert refused.code == "no_legal_basis"
    assert decide_transfer(person, FR, MA, basis(BasisKind.AGREEMENT), TODAY)
    derogation = basis(BasisKind.DEROGATION, justification="imminent threat to life, case 77",
                       expires=TODAY - dt.timedelta(days=1))
    assert not decide_transfer(person, FR, MA, derogation, TODAY)
    assert decide_transfer(person, FR, MA, dataclasses.replace(derogation, expires=TODAY), TODAY)
    assert not decide_transfer(person, MA, FR, None, TODAY)


def test_digest_names_the_bytes_sent() -> None:
    assert digest_of(b"{}") == digest_of(b"{}")
    assert len(digest_of(b"x")) == 64
