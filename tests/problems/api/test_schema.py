"""The problems API held to its OpenAPI schema by schemathesis: no 5xx, answers as documented.

Valid requests (positive) and requests that break the schema (negative), JSON and multipart
photo uploads alike; negative ones write no report and send no SMS.
"""

import pytest
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from problems.choices import ReportStatus
from problems.models import Report, Support
from sms.models import SmsMessage
from tests.problems.support import make_report
from tests.schemathesis_support import generated_cases


pytestmark = pytest.mark.django_db

OPERATIONS = (
    "problems_list",
    "problems_taxonomy",
    "problems_detail",
    "problems_duplicates",
    "problems_code_send",
    "problems_code_confirm",
    "problems_report_create",
    "problems_support",
)
NO_NEGATIVE = ("problems_taxonomy", "problems_detail")
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


@pytest.fixture
def api_schema(demo, settings):
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    import schemathesis

    from config.wsgi import application

    # Throttles would turn most generated requests into 429s and test little else.
    settings.PROBLEM_IP_RATE = settings.PROBLEM_MOBILE_RATE = "100000/m"
    # As Django's test client: a request must not close the test transaction's connection.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/schema/", application)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.mark.parametrize(
    ("operation_id", "mode"),
    [
        (op, mode)
        for op in OPERATIONS
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
        # Nothing to break in these (no input, or a path that takes any text).
        if not (mode == GenerationMode.NEGATIVE and op in NO_NEGATIVE)
    ],
)
def test_the_problems_api_never_fails_and_answers_as_documented(api_schema, operation_id, mode):
    make_report(status=ReportStatus.VERIFIED)
    reports, supports = Report.objects.count(), Support.objects.count()
    sms = SmsMessage.objects.count()
    operation = api_schema.find_operation_by_id(operation_id)

    @generated_cases(operation, mode)
    def call(case):
        response = case.call_and_validate(checks=CHECKS)
        if mode == GenerationMode.NEGATIVE:
            assert response.status_code < 500

    call()
    if mode == GenerationMode.NEGATIVE or operation_id in ("problems_report_create",):
        # No generated token is valid: nothing is reported, supported or sent.
        assert Report.objects.count() == reports and Support.objects.count() == supports
    if operation_id not in ("problems_code_send",):
        assert SmsMessage.objects.count() == sms


@pytest.mark.parametrize(
    ("operation_id", "mode"),
    [
        (op, mode)
        for op in ("problems_report_create", "problems_support")
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
    ],
)
def test_a_signed_in_group_gets_documented_answers_too(api_schema, demo, operation_id, mode):
    from accounts.services import _member_for, issue_token
    from tests.backoffice import make_registration

    make_registration(demo, mobile="+989121110001")
    key, _token = issue_token(_member_for("+989121110001"))
    make_report(status=ReportStatus.VERIFIED)
    operation = api_schema.find_operation_by_id(operation_id)

    @generated_cases(operation, mode)
    def call(case):
        response = case.call_and_validate(checks=CHECKS, headers={"Authorization": f"Bearer {key}"})
        assert response.status_code < 500

    call()
