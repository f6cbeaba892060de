"""The matching API: staff tokens of coordinators only, answers as its schema says."""

from django.contrib.auth.models import Group, User

from wagtail.models import APIToken

import pytest
import schemathesis
from schemathesis import GenerationMode

from interventions import invitations
from problems.models import Problem
from tests.schemathesis_support import CHECKS, generated_cases

from .support import approved_group, coordinator, opened


pytestmark = pytest.mark.django_db

URL = "/api/matching/candidates/"


def token_of(user) -> str:
    return APIToken.create_token(user=user, name="matching")[1]


def bearer(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {token_of(user)}"}


def member_of(group_name) -> User:
    user = User.objects.create_user(f"u-{group_name[:5]}", password="pw", is_staff=True)
    user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def groups(demo):
    return [
        approved_group(demo, organisation_name="کانون مهر", fields_of_activity=["addiction"]),
        approved_group(
            demo, organisation_name="هیئت جوانان", city="ری", fields_of_activity=["health"]
        ),
    ]


def test_a_coordinator_token_gets_ranked_candidates_with_reasons(client, groups):
    problem = Problem.objects.get(slug="addiction")
    response = client.get(
        URL,
        {"problem": problem.pk, "province": "tehran", "city": "تهران", "needs": "venue"},
        HTTP_ACCEPT_LANGUAGE="en",
        **bearer(coordinator()),
    )
    assert response.status_code == 200
    results = response.json()["results"]
    assert [r["name"] for r in results[:2]] == ["کانون مهر", "هیئت جوانان"]
    assert results[0]["place"] == "same_city" and results[1]["place"] == "same_province"
    assert results[0]["reason"].startswith("same city; 1 of 3 fields match")
    assert "mobile" not in results[0] and "national_code" not in results[0]


def test_persian_by_default(client, groups):
    problem = Problem.objects.get(slug="addiction")
    response = client.get(
        URL, {"problem": problem.pk, "province": "tehran", "city": "تهران"}, **bearer(coordinator())
    )
    assert response.json()["results"][0]["reason"].startswith("همین شهر؛ ۱ حوزه از ۳")


@pytest.mark.parametrize("header", [None, "Bearer nonsense", "Bearer", "Token abc", "Bearer a b"])
def test_no_or_bad_token_is_401(client, header, groups):
    extra = {"HTTP_AUTHORIZATION": header} if header else {}
    response = client.get(URL, {"problem": 1, "province": "tehran"}, **extra)
    assert response.status_code == 401
    assert response.json()["errors"][0]["message"]


def test_a_signed_in_session_is_not_enough(client, groups):
    client.force_login(coordinator())
    assert client.get(URL, {"problem": 1, "province": "tehran"}).status_code == 401


@pytest.mark.parametrize("group_name", ["Editors", "Registration managers"])
def test_editors_and_registration_managers_get_403(client, group_name, groups):
    response = client.get(
        URL, {"problem": 1, "province": "tehran"}, **bearer(member_of(group_name))
    )
    assert response.status_code == 403


def test_a_revoked_token_is_401(client, groups):
    row, token = APIToken.create_token(user=coordinator(), name="x")
    row.revoke()
    response = client.get(
        URL, {"problem": 1, "province": "tehran"}, HTTP_AUTHORIZATION=f"Bearer {token}"
    )
    assert response.status_code == 401


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"province": "tehran"}, "problem"),
        ({"problem": "x", "province": "tehran"}, "problem"),
        ({"problem": 1, "province": "atlantis"}, None),
        ({"problem": 1, "province": "tehran", "needs": "gold"}, None),
        ({"problem": 1, "province": "tehran", "limit": "many"}, "limit"),
    ],
)
def test_bad_input_is_400_in_persian(client, params, field):
    response = client.get(URL, params, **bearer(coordinator()))
    assert response.status_code == 400
    [item] = response.json()["errors"]
    assert item["field"] == field
    assert any("\u0600" <= ch <= "\u06ff" for ch in item["message"])


def test_for_an_intervention_the_invited_are_left_out(
    client, demo, groups, django_assert_max_num_queries
):
    user = coordinator()
    intervention = opened(demo, user=user)
    invitations.invite(intervention, groups[:1], user=user)
    url = f"/api/matching/interventions/{intervention.public_id}/candidates/"
    headers = bearer(user)
    with django_assert_max_num_queries(12):
        response = client.get(url, **headers)
    assert response.status_code == 200
    names = [r["name"] for r in response.json()["results"]]
    assert "کانون مهر" not in names and "هیئت جوانان" in names
    missing = client.get(
        "/api/matching/interventions/00000000-0000-4000-8000-000000000000/candidates/", **headers
    )
    assert missing.status_code == 404


def test_the_schema_lists_both_operations_with_the_staff_token(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    for path in (
        "/api/matching/candidates/",
        "/api/matching/interventions/{public_id}/candidates/",
    ):
        operation = schema["paths"][path]["get"]
        assert operation["tags"] == ["matching"]
        assert operation["security"] == [{"staffToken": []}]
        assert {"200", "401", "403"} <= set(operation["responses"])
    assert schema["components"]["securitySchemes"]["staffToken"]["scheme"] == "bearer"


@pytest.fixture
def api_schema(demo):
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    from config.wsgi import application

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/schema/", application)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.mark.parametrize(
    "operation_id", ["matching_candidates", "matching_intervention_candidates"]
)
@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
@pytest.mark.parametrize("with_token", [True, False])
def test_the_api_never_fails_and_answers_as_documented(api_schema, operation_id, mode, with_token):
    operation = api_schema.find_operation_by_id(operation_id)
    headers = {"Authorization": f"Bearer {token_of(coordinator())}"} if with_token else {}

    @generated_cases(operation, mode)
    def call(case):
        case.call_and_validate(headers=headers, checks=CHECKS)

    call()
