"""What every schemathesis test shares: the schema served in process, the checks it runs.

Kept apart from the test modules so the account, registration and interventions schema
tests can all use it without importing one another (an import cycle between them)."""

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)


@pytest.fixture
def api_schema(demo, settings):
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    from config.wsgi import application

    # Throttles would turn most generated requests into 429s and test little else.
    settings.REGISTRATION_IP_RATE = settings.STATUS_LOOKUP_IP_RATE = "100000/m"
    settings.REGISTRATION_MOBILE_RATE = "100000/m"
    # Django's test client does the same: a request must not close the connection that
    # holds the test's transaction (PostgreSQL would lose it).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/schema/", application)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


def generated_cases(operation, mode, max_examples=25):
    """Run the decorated `call(case)` over schemathesis's cases for one operation: the same
    cases every run (derandomized), no deadline, nothing kept between runs."""

    def decorate(call):
        return given(case=operation.as_strategy(generation_mode=mode))(
            settings(
                max_examples=max_examples,
                derandomize=True,
                deadline=None,
                database=None,
                suppress_health_check=list(HealthCheck),
            )(call)
        )

    return decorate
