"""The interventions API: what the public pages show, as JSON; schemathesis holds it to the schema."""

import uuid

import pytest
from schemathesis import GenerationMode

from tests.schemathesis_support import CHECKS, api_schema, generated_cases  # noqa: F401 - fixture

from .support import approved_group, facilitator, opened
from .test_public import closed  # noqa: F401 - fixture


pytestmark = pytest.mark.django_db


def test_list_detail_stages_and_participants(client, closed):  # noqa: F811
    listing = client.get("/api/interventions/").json()
    assert listing["count"] == 1
    [item] = listing["results"]
    assert item["id"] == str(closed.public_id) and item["progress"] == 100
    assert item["stage"] == "closed" and item["outcome"] == "resolved"
    detail = client.get(f"/api/interventions/{closed.public_id}/").json()
    assert detail["problems"][0]["status"] == "resolved"
    assert detail["evaluation"]["indicators"][0] == {
        "name": "سرقت در ماه",
        "unit": "",
        "before": "12.00",
        "after": "3.00",
    }
    timeline = client.get(f"/api/interventions/{closed.public_id}/stages/").json()
    assert [row["to"] for row in timeline["timeline"]] == [
        "needs_assessment",
        "prioritisation",
        "planning",
        "implementation",
        "evaluation",
        "closed",
    ]
    assert set(timeline["seconds_in_stage"]) == set(timeline["order"][:5])
    groups = client.get(f"/api/interventions/{closed.public_id}/participants/").json()
    assert groups == {
        "count": 2,
        "named": [{"name": "هیئت جوانان محله", "capacities_offered": []}],
    }


def test_no_personal_data_in_any_answer(client, demo):
    person = facilitator(demo, representative_name="نرگس پنهانی", mobile="+989121119999")
    intervention = opened(demo, facilitator_registration=person)
    from interventions.services import records

    records.add_participant(
        intervention,
        registration=approved_group(demo, representative_name="علی مخفی", mobile="+989121118888"),
        show_name=True,
    )
    for path in ("", "stages/", "participants/"):
        body = client.get(f"/api/interventions/{intervention.public_id}/{path}").content.decode()
        for secret in ("نرگس", "علی مخفی", "9121119999", "9121118888", person.tracking_code):
            assert secret not in body, (path, secret)


def test_bad_input_is_a_persian_error(client):
    bad = client.get("/api/interventions/", {"province": "atlantis"})
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "province"
    for path in (f"{uuid.uuid4()}/", "not-a-uuid/", f"{uuid.uuid4()}/stages/", "x/participants/"):
        response = client.get(f"/api/interventions/{path}")
        assert response.status_code == 404, path
        assert response.json()["errors"][0]["code"] == "not_found"


@pytest.mark.parametrize(
    "operation_id",
    [
        "interventions_list",
        "interventions_detail",
        "interventions_stages",
        "interventions_participants",
    ],
)
@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_the_api_never_fails_and_answers_as_documented(api_schema, operation_id, mode):  # noqa: F811
    operation = api_schema.find_operation_by_id(operation_id)

    @generated_cases(operation, mode)
    def call(case):
        case.call_and_validate(checks=CHECKS)

    call()
