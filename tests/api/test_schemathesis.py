"""Schemathesis over the OpenAPI schema, in-process through WSGI, signed in as a demo clerk.

Bounded and deterministic: at most 10 generated examples per operation,
derandomised. Every response must be a non-5xx whose status, content type,
headers and body the schema documents.
"""

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from config.wsgi import application

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


@pytest.fixture
def api_schema(demo):
    # As Django's test client does: a request must not close the test's
    # connection (on PostgreSQL that would end the test transaction).
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.fixture
def token(users):
    # The clerk holds editing tasks in the demo, so writes reach the services too.
    return Token.objects.get_or_create(user=users["canbo_vinhtrai"])[0].key


schema = schemathesis.pytest.from_fixture("api_schema")


@pytest.mark.schemathesis
@schema.parametrize()
@settings(max_examples=10, derandomize=True, deadline=None, suppress_health_check=list(HealthCheck), database=None)
def test_api_conforms_to_its_schema(case, token):
    case.call_and_validate(headers={"Authorization": f"Token {token}"}, checks=CHECKS)
