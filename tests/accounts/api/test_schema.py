"""The account API in the OpenAPI schema, and held to it by schemathesis (signed in)."""

import pytest
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode

from accounts import services
from registrations.choices import Status
from tests.backoffice import make_registration
from tests.schemathesis_support import CHECKS, api_schema, generated_cases  # noqa: F401 - fixture


pytestmark = pytest.mark.django_db

ACCOUNT_OPERATIONS = {
    ("/api/account/", "get"),
    ("/api/account/codes/", "post"),
    ("/api/account/sign-in/", "post"),
    ("/api/account/sign-out/", "post"),
    ("/api/account/mobile/", "post"),
    ("/api/account/mobile/confirm/", "post"),
    ("/api/account/members/", "get"),
    ("/api/account/members/", "post"),
    ("/api/account/members/invites/{invite_id}/confirm/", "post"),
    ("/api/account/members/{member_id}/", "delete"),
    ("/api/account/registrations/{tracking_code}/", "get"),
    ("/api/account/registrations/{tracking_code}/", "patch"),
    ("/api/account/registrations/{tracking_code}/withdraw/", "post"),
}
PUBLIC = {"account_request_code", "account_sign_in"}


def schema_of(client):
    return client.get("/api/schema/", HTTP_ACCEPT="application/json").json()


def test_the_account_api_is_in_the_schema_with_its_security(client):
    schema = schema_of(client)
    operations = {
        (path, method): operation
        for path, item in schema["paths"].items()
        for method, operation in item.items()
        if path.startswith("/api/account/")
    }
    assert set(operations) == ACCOUNT_OPERATIONS
    schemes = schema["components"]["securitySchemes"]
    assert schemes["memberToken"] == {
        "type": "http",
        "scheme": "bearer",
        "description": schemes["memberToken"]["description"],
    }
    for operation in operations.values():
        assert operation["tags"] == ["account"]
        if operation["operationId"] in PUBLIC:
            continue
        assert {"memberToken": []} in operation["security"]
        assert "401" in operation["responses"]


def test_the_schema_documents_persian_errors(client):
    schema = schema_of(client)
    sign_in = schema["paths"]["/api/account/sign-in/"]["post"]["responses"]
    assert {"200", "400", "409", "429"} <= set(sign_in)
    assert sign_in["400"]["content"]["application/json"]["schema"]["$ref"].endswith("/Error")


@pytest.fixture
def signed_in_group(api_schema, bare_site, settings):  # noqa: F811
    from tests.factories import CampaignPageFactory

    settings.ACCOUNT_IP_RATE = settings.ACCOUNT_MOBILE_RATE = "100000/m"
    campaign = CampaignPageFactory()
    registration = make_registration(campaign, mobile="+989121110001", status=Status.APPROVED)
    member = services._member_for(registration.mobile)
    key, _token = services.issue_token(member)
    return api_schema, key


OPERATION_IDS = sorted(
    {
        "account_group",
        "account_request_code",
        "account_sign_in",
        "account_mobile_change",
        "account_mobile_confirm",
        "account_members",
        "account_members_invite",
        "account_members_confirm",
        "account_members_remove",
        "account_profile",
        "account_profile_edit",
        "account_withdraw",
        "account_sign_out",
    }
)


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
@pytest.mark.parametrize("operation_id", OPERATION_IDS)
def test_the_account_api_never_fails_and_answers_as_documented(signed_in_group, operation_id, mode):
    schema, key = signed_in_group
    operation = schema.find_operation_by_id(operation_id)

    @generated_cases(operation, mode)
    def call(case):
        case.call_and_validate(checks=CHECKS, headers={"Authorization": f"Bearer {key}"})

    call()


@pytest.mark.parametrize("operation_id", ["account_group", "account_profile_edit"])
def test_unsigned_calls_answer_401_as_documented(api_schema, operation_id):  # noqa: F811
    operation = api_schema.find_operation_by_id(operation_id)

    @given(case=operation.as_strategy(generation_mode=GenerationMode.POSITIVE))
    @settings(
        max_examples=5,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def call(case):
        response = case.call_and_validate(checks=CHECKS)
        assert response.status_code == 401

    call()
