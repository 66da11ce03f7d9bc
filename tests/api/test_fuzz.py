"""Schemathesis drives every operation of the OpenAPI document with generated input, valid and
invalid, as a user holding every role.

The property that matters: the API never answers 500 (``not_a_server_error``). The other checks
keep the OpenAPI document truthful: every status, content type, header and body the API sends
is the one documented, invalid input is refused, and authentication is not ignored. Not
checked: that every schema-valid request succeeds, since business rules (a review date in the
future, an opaque cursor) cannot all be written as JSON Schema.

Deterministic (``derandomize``) and bounded (a few dozen examples per operation) so that CI
time stays short and a failure reproduces; run with ``--hypothesis-seed`` or a larger
``FUZZ_EXAMPLES`` to search harder locally.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from api_support import JUSTIFICATION, MovableClock, add_user, build_node, template_database
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.errors import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    ignored_auth,
    missing_required_header,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
    unsupported_method,
)

from passerelle.api import create_app
from passerelle.domain.markings import Markings
from passerelle.domain.records import Person, Record, SubjectCategory
from passerelle.domain.users import Role
from passerelle.services.caller import Caller

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "25"))
TOO_LARGE = 413
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_headers_conformance, response_schema_conformance, negative_data_rejection,
          missing_required_header, unsupported_method, ignored_auth]
EXAMPLE_ID = "person--7b3e9d52-1c4f-4a8e-9f0b-2d6c8e1a5b73"  # as in the OpenAPI examples


@pytest.fixture(scope="module")
def fuzzed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, dict[str, str]]:
    """The app of a node holding the record the OpenAPI examples name (so that the example
    phase reaches the read and change paths), and the token of a user with every role."""
    database, _ = template_database(Path(tmp_path_factory.mktemp("fuzz")))
    node = build_node(database, MovableClock())
    secret = add_user(node, "fuzz.everything", set(Role))
    user = node.accounts.authenticate_token(secret)
    record = Record(EXAMPLE_ID, "fr", Markings(),
                    Person(SubjectCategory.SUSPECT, "Youssef", "El Amrani"),
                    created_by=user.id, modified_by=user.id)
    outcomes = node.imports.import_records(Caller(user), [record], atomic=True)
    assert [o.status.value for o in outcomes] == ["created"]
    return create_app(node), {"Authorization": f"Bearer {secret}"}


@pytest.fixture(scope="module")
def api_schema(fuzzed: tuple[Any, dict[str, str]]) -> Any:
    return schemathesis.openapi.from_asgi("/api/v1/openapi.json", fuzzed[0])


# The live stream of notices never ends, so no request to it completes: it is tested on its
# own (test_events_stream.py).
schema = schemathesis.pytest.from_fixture("api_schema").exclude(path="/api/v1/events")


@schema.parametrize()
@settings(max_examples=EXAMPLES, derandomize=True, deadline=None,
          suppress_health_check=list(HealthCheck))
def test_no_generated_request_makes_the_api_fail(case: Any,
                                                  fuzzed: tuple[Any, dict[str, str]]) -> None:
    headers = dict(fuzzed[1])
    if "Passerelle-Justification" not in (case.headers or {}):
        headers["Passerelle-Justification"] = JUSTIFICATION.encode().decode("latin-1")
    response = case.call(headers=headers)
    try:
        case.validate_response(response, checks=CHECKS)
    except FailureGroup as group:
        # A body over the node's limit is refused (413) before it is read, whatever it holds:
        # that is a rejection of the invalid data too, though not one schemathesis expects.
        if response.status_code == TOO_LARGE and all(
                failure.code == "ST201" for failure in group.exceptions):
            return
        raise
