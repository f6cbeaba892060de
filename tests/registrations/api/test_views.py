"""An app registers through the JSON API and confirms the SMS code (locmem SMS)."""

import json
import re
from datetime import timedelta

from django.utils import timezone

import pytest

from registrations.choices import Status
from registrations.models import Registration
from sms.models import SmsMessage
from tests.factories import registration_form_data


pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo")]

API = "/api/registrations/"
PERSIAN = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")


def api_data(**overrides):
    """The web form's test data as an app would send it: JSON types, no anti-spam fields."""
    data = registration_form_data(**overrides)
    for name in ("website", "started"):
        data.pop(name, None)
    if "consent" in data:
        data["consent"] = data["consent"] == "on"
    return {"campaign": "nehzat", **data}


def post(client, url, data, **headers):
    return client.post(url, json.dumps(data), content_type="application/json", **headers)


def register(client, on_commit, **overrides):
    return on_commit(post, client, API, api_data(**overrides))


def code_from(sms_text: str) -> str:
    return re.search(r"\d{6}", sms_text).group(0)


def errors_of(response) -> list[tuple]:
    return [(e["field"], e["code"]) for e in response.json()["errors"]]


# --- the walk-through: register and confirm with a Persian-digit mobile ------------------


def test_an_app_registers_and_confirms_with_a_persian_digit_mobile(client, on_commit, sms_outbox):
    response = register(client, on_commit, mobile="۰۹۱۲۳۴۵۶۷۸۹")
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "awaiting_confirmation"
    assert body["tracking_code"] is None
    assert body["campaign"] == "nehzat"
    assert [m.to for m in sms_outbox] == ["+989123456789"]

    code = code_from(sms_outbox[0].text).translate(PERSIAN)
    confirmed = on_commit(post, client, f"{API}{body['public_id']}/confirm/", {"code": code})

    registration = Registration.objects.get()
    assert confirmed.status_code == 200
    assert confirmed.json()["status"] == "confirmed"
    assert confirmed.json()["tracking_code"] == registration.tracking_code
    assert registration.source == "api" and registration.language == "fa"
    assert registration.tracking_code in sms_outbox[1].text


def test_the_status_is_found_by_tracking_code_and_mobile(client, on_commit, sms_outbox):
    public_id = register(client, on_commit).json()["public_id"]
    on_commit(post, client, f"{API}{public_id}/confirm/", {"code": code_from(sms_outbox[0].text)})
    registration = Registration.objects.get()
    response = client.get(
        f"{API}status/",
        {"tracking_code": registration.tracking_code.translate(PERSIAN), "mobile": "0912 345 6789"},
    )
    assert response.status_code == 200
    assert response.json()["status"] == "confirmed"
    assert set(response.json()) == {
        "tracking_code",
        "status",
        "status_label",
        "created_at",
        "confirmed_at",
        "reviewed_at",
    }


def test_a_status_lookup_with_another_mobile_reveals_nothing(client, on_commit, sms_outbox):
    public_id = register(client, on_commit).json()["public_id"]
    on_commit(post, client, f"{API}{public_id}/confirm/", {"code": code_from(sms_outbox[0].text)})
    tracking_code = Registration.objects.get().tracking_code
    response = client.get(
        f"{API}status/", {"tracking_code": tracking_code, "mobile": "09350000000"}
    )
    assert response.status_code == 404
    assert errors_of(response) == [(None, "not_found")]
    assert "confirmed" not in response.content.decode()


# --- errors: a field, a code and a Persian message; nothing saved --------------------------


def test_bad_input_gets_field_code_and_a_persian_message(client, on_commit, sms_outbox):
    response = register(client, on_commit, national_code="۰۴۹۹۳۷۰۸۹۸", mobile="۰۲۱۸۸۷۷۶۶۵۵")
    assert response.status_code == 400
    assert response["Content-Language"] == "fa"
    errors = {e["field"]: e for e in response.json()["errors"]}
    assert errors["national_code"]["code"] == "national_code"
    assert "کد ملی معتبر نیست" in errors["national_code"]["message"]
    assert errors["mobile"]["code"] == "landline"
    assert not Registration.objects.exists() and sms_outbox == []


def test_messages_follow_accept_language(client, on_commit):
    response = on_commit(
        post, client, API, api_data(consent=None), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9"
    )
    assert response["Content-Language"] == "en"
    assert response.json()["errors"][0]["message"].startswith("Registration needs your consent")


def test_a_wrong_json_type_is_refused_by_field(client, on_commit):
    data = api_data(city=["تهران"], years_active=True)
    data["consent"] = "yes"
    response = on_commit(post, client, API, data)
    assert response.status_code == 400
    assert sorted(errors_of(response)) == [
        ("city", "invalid_type"),
        ("consent", "invalid_type"),
        ("years_active", "invalid_type"),
    ]
    assert not Registration.objects.exists()


@pytest.mark.parametrize(
    ("campaign", "code"),
    [(None, "required"), ("no-such-campaign", "unknown_campaign"), (7, "required")],
)
def test_the_campaign_must_be_a_live_slug(client, on_commit, campaign, code):
    data = api_data()
    data["campaign"] = campaign
    response = on_commit(post, client, API, data)
    assert response.status_code == 400
    assert errors_of(response) == [("campaign", code)]


def test_a_closed_campaign_refuses_registrations(client, on_commit, demo):
    demo.registration_open = False
    demo.save_revision().publish()
    response = register(client, on_commit)
    assert errors_of(response) == [("campaign", "registration_closed")]


@pytest.mark.parametrize("body", ["[1, 2]", '"text"', "{not json"])
def test_a_body_that_is_not_a_json_object_is_refused(client, body):
    response = client.post(API, body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] is None


def test_form_encoded_bodies_are_refused(client):
    response = client.post(API, registration_form_data())
    assert response.status_code == 415
    assert errors_of(response) == [(None, "unsupported_media_type")]


def test_an_oversized_body_is_refused_before_it_is_read(client, settings):
    settings.REGISTRATION_MAX_BODY_BYTES = 1000
    response = post(client, API, api_data(experience="x" * 5000))
    assert response.status_code == 413
    assert errors_of(response) == [(None, "too_large")]
    assert not Registration.objects.exists()


def test_a_second_registration_for_the_same_mobile_conflicts(client, on_commit, sms_outbox):
    register(client, on_commit)
    response = register(client, on_commit, organisation_name="گروه دیگر")
    assert response.status_code == 409
    assert errors_of(response) == [("mobile", "already_registered")]
    assert Registration.objects.get().organisation_name == "انجمن یاوران محله"
    assert len(sms_outbox) == 1


def test_a_wrong_code_is_counted_and_refused(client, on_commit, sms_outbox):
    public_id = register(client, on_commit).json()["public_id"]
    wrong = "000000" if code_from(sms_outbox[0].text) != "000000" else "111111"
    response = post(client, f"{API}{public_id}/confirm/", {"code": wrong})
    assert response.status_code == 400
    assert errors_of(response) == [("code", "code_invalid")]
    assert "کد درست نیست" in response.json()["errors"][0]["message"]
    assert Registration.objects.get().code_attempts == 1


def test_a_code_of_the_wrong_shape_is_refused(client, on_commit):
    public_id = register(client, on_commit).json()["public_id"]
    response = post(client, f"{API}{public_id}/confirm/", {"code": "12"})
    assert errors_of(response) == [("code", "code_format")]


def test_an_unknown_registration_is_not_found(client):
    response = post(client, f"{API}00000000-0000-0000-0000-000000000000/confirm/", {"code": "1"})
    assert response.status_code == 404
    assert errors_of(response) == [("public_id", "not_found")]


def test_confirming_twice_is_a_conflict(client, on_commit, sms_outbox):
    public_id = register(client, on_commit).json()["public_id"]
    code = code_from(sms_outbox[0].text)
    on_commit(post, client, f"{API}{public_id}/confirm/", {"code": code})
    response = post(client, f"{API}{public_id}/confirm/", {"code": code})
    assert response.status_code == 409
    assert errors_of(response) == [(None, "wrong_state")]


def test_a_new_code_waits_for_the_cooldown(client, on_commit, sms_outbox):
    public_id = register(client, on_commit).json()["public_id"]
    response = on_commit(post, client, f"{API}{public_id}/resend/", {})
    assert response.status_code == 429
    assert errors_of(response) == [(None, "resend_too_soon")]
    assert 0 < int(response["Retry-After"]) <= 60
    assert len(sms_outbox) == 1


def test_a_new_code_is_sent_after_the_cooldown(client, on_commit, sms_outbox):
    public_id = register(client, on_commit).json()["public_id"]
    SmsMessage.objects.update(created_at=timezone.now() - timedelta(seconds=61))
    response = on_commit(post, client, f"{API}{public_id}/resend/", {})
    assert response.status_code == 202
    assert response.json()["resend_after_seconds"] == 60
    assert len(sms_outbox) == 2


# --- throttles ------------------------------------------------------------------------------


def test_too_many_requests_from_one_address_are_throttled(client, on_commit, settings):
    settings.REGISTRATION_IP_RATE = "2/h"  # not /m: a minute can turn between posts
    for _ in range(2):
        register(client, on_commit, consent=None)
    response = register(client, on_commit)
    assert response.status_code == 429
    assert errors_of(response) == [(None, "throttled")]
    assert "چند دقیقه صبر کنید" in response.json()["errors"][0]["message"]
    assert not Registration.objects.exists()


def test_too_many_registrations_for_one_mobile_are_throttled(client, on_commit, settings):
    settings.REGISTRATION_MOBILE_RATE = "1/h"
    register(client, on_commit, mobile="09123456789")
    Registration.objects.all().delete()
    # The same number in Persian digits, from another address: still the same mobile.
    response = on_commit(post, client, API, api_data(mobile="۰۹۱۲۳۴۵۶۷۸۹"), REMOTE_ADDR="10.0.0.9")
    assert response.status_code == 429
    assert not Registration.objects.exists()


def test_status_lookups_are_throttled_per_mobile(client, settings):
    settings.REGISTRATION_MOBILE_RATE = "2/h"
    for tracking_code in ("11111111", "22222222"):
        client.get(f"{API}status/", {"tracking_code": tracking_code, "mobile": "09123456789"})
    response = client.get(f"{API}status/", {"tracking_code": "33333333", "mobile": "09123456789"})
    assert response.status_code == 429


# --- CORS ---------------------------------------------------------------------------------


def test_cors_allows_only_listed_origins(client, settings):
    settings.CORS_ALLOWED_ORIGINS = ["https://app.example.org"]
    allowed = client.options(
        API,
        HTTP_ORIGIN="https://app.example.org",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
    )
    refused = client.options(
        API, HTTP_ORIGIN="https://evil.example", HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST"
    )
    assert allowed["Access-Control-Allow-Origin"] == "https://app.example.org"
    assert "Access-Control-Allow-Origin" not in refused


def test_the_api_needs_no_csrf_token(on_commit):
    from django.test import Client

    response = on_commit(post, Client(enforce_csrf_checks=True), API, api_data())
    assert response.status_code == 201


# --- web and API behave identically -------------------------------------------------------


def submit(channel: str, client, on_commit, **overrides):
    """Send the same visitor input through the web form or the API."""
    if channel == "web":
        return on_commit(client.post, "/nehzat/register/", registration_form_data(**overrides))
    return register(client, on_commit, **overrides)


def web_errors(response) -> list[tuple]:
    form = response.context["form"]
    return sorted(
        (field, error.code or "invalid")
        for field, errors in form.errors.as_data().items()
        for error in errors
        if field != "__all__"
    )


SAVED_FIELDS = [
    "kind",
    "organisation_name",
    "national_id",
    "permit_number",
    "province",
    "city",
    "fields_of_activity",
    "capacities",
    "experience",
    "years_active",
    "member_count",
    "representative_name",
    "national_code",
    "email",
    "consent",
    "extra_answers",
    "status",
    "campaign_id",
    "language",
]


@pytest.mark.parametrize(
    "overrides",
    [
        {},
        {"kind": "facilitator", "organisation_name": "", "national_id": ""},
        {"mobile": "٠٩١٢٣٤٥٦٧٨٩", "years_active": "٣"},
        {"capacities": [], "email": "", "national_code": ""},
    ],
)
def test_web_and_api_save_the_same_registration(client, on_commit, quick_forms, overrides):
    saved = {}
    for channel in ("web", "api"):
        submit(channel, client, on_commit, **overrides)
        registration = Registration.objects.get()
        saved[channel] = {name: getattr(registration, name) for name in SAVED_FIELDS}
        saved[channel]["mobile"] = str(registration.mobile)
        assert registration.source == channel
        registration.sms_messages.all().delete()
        registration.delete()
    assert saved["web"] == saved["api"]


@pytest.mark.parametrize(
    "overrides",
    [
        {"mobile": "۰۲۱۸۸۷۷۶۶۵۵"},
        {"mobile": "+44 7911 123456"},
        {"mobile": "۰۹۱۲۳۴"},
        {"national_code": "۰۴۹۹۳۷۰۸۹۸", "national_id": "10100360731"},
        {"consent": None},
        {"province": "atlantis", "kind": "club"},
        {"fields_of_activity": ["flying"]},
        {"fields_of_activity": [], "city": ""},
        {"organisation_name": ""},
        {"years_active": "بیست", "member_count": "0"},
        {"email": "not-an-email"},
        {"representative_name": "x" * 151},
    ],
)
def test_web_and_api_refuse_the_same_input_with_the_same_codes(
    client, on_commit, quick_forms, overrides
):
    web = submit("web", client, on_commit, **overrides)
    api = submit("api", client, on_commit, **overrides)
    assert web.status_code == api.status_code == 400
    assert web_errors(web) == sorted(errors_of(api))
    assert not Registration.objects.exists()


def test_web_and_api_refuse_a_second_registration_alike(client, on_commit, quick_forms):
    submit("web", client, on_commit)
    # The web goes on to the code page (issue 12: it never shows the owner's public_id).
    web = client.get(submit("web", client, on_commit)["Location"])
    api = submit("api", client, on_commit)
    assert ("mobile", "already_registered") in errors_of(api)
    assert "قبلاً برای این طرح ثبت شده" in web.content.decode()
    assert api.json()["errors"][0]["message"] in web.content.decode()
    assert Registration.objects.count() == 1


def test_an_extra_question_is_answered_alike_on_both_channels(client, on_commit, quick_forms, demo):
    from campaigns.models import CampaignFormField

    field = CampaignFormField.objects.create(
        page=demo, label="چند داوطلب دارید؟", field_type="number", required=True
    )
    web_missing = submit("web", client, on_commit)
    api_missing = submit("api", client, on_commit)
    assert web_errors(web_missing) == [(field.clean_name, "required")]
    assert errors_of(api_missing) == [(field.clean_name, "required")]

    submit("web", client, on_commit, **{field.clean_name: "12"})
    web_answers = Registration.objects.get().extra_answers
    Registration.objects.all().delete()
    register(client, on_commit, extra_answers={field.clean_name: 12})
    assert Registration.objects.get().extra_answers == web_answers == {field.clean_name: "12"}
    assert Registration.objects.get().status == Status.AWAITING_CONFIRMATION


@pytest.mark.parametrize(
    "slug, error",
    [
        # A NUL in any JSON text is refused by the parser, before any field is read.
        ("bad\x00slug", (None, "invalid_text")),
        ("a b", ("campaign", "unknown_campaign")),
        ("../nehzat", ("campaign", "unknown_campaign")),
    ],
)
def test_a_malformed_campaign_slug_is_unknown(client, on_commit, slug, error):
    data = api_data()
    data["campaign"] = slug
    response = on_commit(post, client, API, data)
    assert response.status_code == 400
    assert errors_of(response) == [error]


# --- the campaigns a client can register for -----------------------------------------------

CAMPAIGNS = "/api/campaigns/"


def test_open_campaigns_are_listed_with_slug_form_and_typed_questions(client, demo):
    from campaigns.models import CampaignFormField

    CampaignFormField.objects.create(
        page=demo, label="روزهای آزاد", field_type="checkboxes", choices="شنبه\nیکشنبه"
    )
    CampaignFormField.objects.create(
        page=demo, label="تعداد داوطلبان", field_type="number", required=False
    )
    demo.save_revision().publish()

    response = client.get(CAMPAIGNS)

    assert response.status_code == 200
    assert response["Content-Language"] == "fa"
    [campaign] = response.json()["campaigns"]
    assert campaign["slug"] == "nehzat"
    assert campaign["title"] == demo.title
    assert (campaign["language"], campaign["languages"]) == ("fa", ["en", "fa"])
    assert campaign["registration_url"] == "http://testserver/nehzat/register/"
    days, volunteers = campaign["extra_questions"]
    assert days["label"] == "روزهای آزاد"
    assert (days["field_type"], days["answer_type"]) == ("checkboxes", "array")
    assert days["choices"] == ["شنبه", "یکشنبه"] and days["required"] is True
    assert (volunteers["answer_type"], volunteers["choices"]) == ("number", [])
    # The slug and clean_name are what a registration takes.
    assert days["clean_name"].startswith("q_")


def test_a_client_asking_for_english_gets_the_english_campaign(client, demo):
    response = client.get(CAMPAIGNS, HTTP_ACCEPT_LANGUAGE="en")
    [campaign] = response.json()["campaigns"]
    assert response["Content-Language"] == "en"
    assert campaign["language"] == "en"
    assert campaign["registration_url"] == "http://testserver/en/nehzat/register/"
    assert campaign["title"] != demo.title  # the English title


def test_a_closed_campaign_is_not_listed(client, demo):
    for page in type(demo).objects.all():
        page.registration_open = False
        page.save_revision().publish()
    assert client.get(CAMPAIGNS).json() == {"campaigns": []}


def test_the_campaign_list_is_read_only(client):
    for method in (client.post, client.put, client.delete):
        assert method(CAMPAIGNS).status_code == 405


def test_the_campaign_list_costs_no_query_once_cached(client, demo):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(CAMPAIGNS)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(CAMPAIGNS).status_code == 200
    assert len(queries.captured_queries) == 0
