"""The API fuzzed by Schemathesis against a live server on the real corpus: whatever
the generated values, no 5xx, and every answer (status, content type, headers, body)
is one the OpenAPI schema describes.

Bounded twice: a few examples per operation, and a time budget for the whole run,
so the suite stays fast on a busy machine; the run fails if the budget ran out before
every operation was tried at least once.
"""

from __future__ import annotations

import time

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import checks

EXAMPLES_PER_OPERATION = 15
BUDGET_SECONDS = 90
CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_headers_conformance,
    checks.response_schema_conformance,
]


def test_the_api_survives_fuzzing_and_matches_its_schema(live_server, live_corpus):
    schema = schemathesis.openapi.from_url(f"{live_server.url}/api/schema/?format=json")
    started = time.monotonic()
    tried = []
    for result in schema.get_all_operations():
        operation = result.ok()
        if time.monotonic() - started > BUDGET_SECONDS:
            break

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def call(case):
            case.call_and_validate(base_url=live_server.url, checks=CHECKS)

        call()
        tried.append(operation.label)
    assert len(tried) == len(list(schema.get_all_operations())), "the time budget ran out"
    assert "GET /api/v1/documents/" in tried


pytestmark = pytest.mark.django_db(transaction=True)
