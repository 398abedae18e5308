"""Schemathesis against the app's own /api/v1/openapi.json: no server error, no off-schema answer."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from tests.webapp.api.conftest import bearer, make_client

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
# Bounded so the whole contract test stays well under a minute on each database.
EXAMPLES = 12


@pytest.fixture
def web_schema(app, db):
    """Load the document the app serves, calling the app in-process (its test transaction)."""
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)


def operations(web_schema) -> list:
    """Return every operation of the document."""
    return [result.ok() for result in web_schema.get_all_operations()]


def test_api_keeps_its_contract(web_schema, world):
    # Driven by hand rather than by schemathesis' pytest plugin, which pytest 9 breaks.
    token = make_client(world, addresses="0.0.0.0/0\n::/0")[1]
    found = operations(web_schema)
    assert len(found) == 6
    for operation in found:

        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy())
        def keeps_contract(case):
            case.call_and_validate(headers=bearer(token), checks=CHECKS)

        keeps_contract()


def test_the_document_is_valid_openapi_3_1_with_webhooks(client, web_schema):
    web_schema.validate()  # against the OpenAPI 3.1 meta-schema; raises on any fault
    doc = client.get("/api/v1/openapi.json").get_json()
    assert doc["openapi"] == "3.1.0"
    assert "notification" in doc["webhooks"]
    assert set(doc["paths"]) >= {
        "/api/v1/negative-info",
        "/api/v1/negative-info/{info_id}",
        "/api/v1/cadres",
        "/api/v1/warnings",
        "/api/v1/warnings/{warning_id}",
        "/api/v1/dictionaries/{type_code}",
    }
