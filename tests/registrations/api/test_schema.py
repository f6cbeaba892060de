"""The registration API's OpenAPI schema, its docs page, and the API held to the schema."""

import os
import re
import subprocess

from django.contrib.staticfiles import finders

import pytest
from schemathesis import GenerationMode

from tests.accounts.api.test_schema import ACCOUNT_OPERATIONS
from tests.schemathesis_support import CHECKS, api_schema, generated_cases  # noqa: F401 - fixture
from tests.tools import ROOT, node_tool


pytestmark = pytest.mark.django_db

OPERATIONS = {
    ("/api/campaigns/", "get"),
    ("/api/registrations/", "post"),
    ("/api/registrations/{public_id}/confirm/", "post"),
    ("/api/registrations/{public_id}/resend/", "post"),
    ("/api/registrations/status/", "get"),
    ("/api/atlas/", "get"),
    ("/api/atlas/{slug}/", "get"),
    ("/api/atlas/{slug}.csv", "get"),
}
# The problems API shares the schema (tests/problems/api/).
PROBLEM_OPERATIONS = {
    ("/api/problems/", "get"),
    ("/api/problems/taxonomy/", "get"),
    ("/api/problems/codes/", "post"),
    ("/api/problems/codes/{check_id}/confirm/", "post"),
    ("/api/problems/duplicates/", "get"),
    ("/api/problems/reports/", "post"),
    ("/api/problems/{number}/", "get"),
    ("/api/problems/{number}/support/", "post"),
}
# The interventions API too (tests/interventions/test_api.py).
INTERVENTION_OPERATIONS = {
    ("/api/interventions/", "get"),
    ("/api/interventions/{public_id}/", "get"),
    ("/api/interventions/{public_id}/stages/", "get"),
    ("/api/interventions/{public_id}/participants/", "get"),
}

# The matching API, for staff tokens (tests/interventions/test_matching_api.py).
MATCHING_OPERATIONS = {
    ("/api/matching/candidates/", "get"),
    ("/api/matching/interventions/{public_id}/candidates/", "get"),
}


def test_the_schema_is_openapi_3_and_lists_the_registration_api(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/json")
    schema = response.json()
    assert response.status_code == 200
    assert schema["openapi"].startswith("3.")
    operations = {(path, method) for path, item in schema["paths"].items() for method in item}
    assert operations == (
        OPERATIONS
        | PROBLEM_OPERATIONS
        | ACCOUNT_OPERATIONS
        | INTERVENTION_OPERATIONS
        | MATCHING_OPERATIONS
    )


def schema_of(client):
    return client.get("/api/schema/", HTTP_ACCEPT="application/json").json()


def test_every_operation_is_tagged_so_generated_clients_keep_them_together(client):
    schema = schema_of(client)
    tags = {
        path: operation.get("tags")
        for path, item in schema["paths"].items()
        for operation in item.values()
    }
    assert tags["/api/campaigns/"] == ["campaigns"]
    for path, value in tags.items():
        if path.startswith("/api/registrations/"):
            assert value == ["registrations"], path
        elif path.startswith("/api/problems/"):
            assert value == ["problems"], path
        elif path.startswith("/api/atlas/"):
            assert value == ["atlas"], path
        elif path.startswith("/api/account/"):
            assert value == ["account"], path
        elif path.startswith("/api/interventions/"):
            assert value == ["interventions"], path
        elif path.startswith("/api/matching/"):
            assert value == ["matching"], path
        else:
            assert path == "/api/campaigns/", path
    assert {tag["name"] for tag in schema["tags"]} == {
        "campaigns",
        "registrations",
        "problems",
        "interventions",
        "matching",
        "atlas",
        "account",
    }


def test_the_schema_names_its_server_licence_and_contact(client, settings):
    settings.PUBLIC_BASE_URL = "https://nehzat.example"
    schema = schema_of(client)
    assert schema["servers"] == [{"url": "https://nehzat.example"}]
    assert schema["info"]["license"]["name"]
    assert schema["info"]["license"]["url"] == "https://nehzat.example/"
    assert schema["info"]["contact"]["url"] == "https://nehzat.example/"


def test_counts_are_typed_as_integers(client):
    request = schema_of(client)["components"]["schemas"]["RegistrationRequest"]["properties"]
    assert request["years_active"]["type"] == "integer"
    assert request["member_count"]["type"] == "integer"
    assert request["member_count"]["minimum"] == 1


def test_the_schema_describes_the_error_shape(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    item = schema["components"]["schemas"]["ErrorItem"]
    assert set(item["required"]) == {"field", "code", "message"}
    create = schema["paths"]["/api/registrations/"]["post"]["responses"]
    assert {"201", "400", "409", "429"} <= set(create)


def test_the_schema_speaks_the_language_asked_for(client):
    fa = client.get("/api/schema/", HTTP_ACCEPT="application/json").content.decode()
    en = client.get(
        "/api/schema/", HTTP_ACCEPT="application/json", HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "استان" in fa
    assert "Province" in en and "استان" not in en


def test_the_docs_page_loads_its_assets_from_this_site(client):
    html = client.get("/api/docs/").content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources
    assert not [s for s in sources if s.startswith(("http:", "https:", "//"))]
    static = [s for s in sources if s.startswith("/static/")]
    assert any(s.endswith("swagger-ui-bundle.js") for s in static)
    for source in static:
        assert finders.find(source.removeprefix("/static/")), source


# --- property-based: no 5xx, every answer as the schema says -----------------------------
#
# Schemathesis generates requests from the schema: valid ones (positive) and ones that break
# it (negative). Whatever it sends, the API must not fail and must answer as documented.
# Each operation runs in its own test, called in process (WSGI) in the test's transaction.


@pytest.mark.parametrize(
    ("operation_id", "mode"),
    [
        # The campaign list takes no input, so there is nothing to break (no negative case).
        ("campaigns_list", GenerationMode.POSITIVE),
        *(
            (operation_id, mode)
            for operation_id in (
                "registrations_create",
                "registrations_confirm",
                "registrations_resend",
                "registrations_status",
            )
            for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
        ),
    ],
)
def test_the_api_never_fails_and_answers_as_documented(api_schema, operation_id, mode):  # noqa: F811
    operation = api_schema.find_operation_by_id(operation_id)

    @generated_cases(operation, mode, max_examples=30)
    def call(case):
        case.call_and_validate(checks=CHECKS)

    call()


# --- outside linters: the schema as other tools read it ------------------------------------


def test_the_schema_passes_openapi_spec_validator(client):
    from openapi_spec_validator import validate

    validate(schema_of(client))


def test_the_schema_lints_clean_with_redocly(client, tmp_path):
    # The config (redocly.yaml) is the `recommended` set with one rule off: routes end with
    # a slash, Django style. Every other problem, warnings included, fails the test.
    command = node_tool("redocly")
    (tmp_path / "schema.json").write_bytes(
        client.get("/api/schema/", HTTP_ACCEPT="application/json").content
    )
    result = subprocess.run(  # noqa: S603 - fixed arguments
        [
            *command,
            "lint",
            "--config",
            str(ROOT / "redocly.yaml"),
            "--format",
            "stylish",
            str(tmp_path / "schema.json"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "REDOCLY_TELEMETRY": "off", "REDOCLY_SUPPRESS_UPDATE_NOTICE": "true"},
    )
    report = result.stdout + result.stderr
    assert result.returncode == 0, report
    assert "warning" not in report.lower().replace("deprecation warning", ""), report
