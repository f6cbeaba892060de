"""Malformed public input, generated as a whole class: never a server error, nothing saved, no SMS.

Each test sends one kind of bad input to every public endpoint that takes it (web form, API,
status lookup, SMS webhooks, media with `Range`) and asserts what the sender sees: a 4xx (or
the file), a Persian message where a person reads it, no registration or received SMS
written, no SMS queued. Run on PostgreSQL too (DATABASE_URL): it refuses NUL characters,
unpaired surrogates and over-long values that SQLite stores silently.
"""

import json
import string
from pathlib import Path
from urllib.parse import quote_from_bytes

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from registrations.forms import RegistrationFieldsForm
from registrations.models import Registration
from sms.models import InboundSms, SmsMessage
from tests.factories import registration_form_data


pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo", "quick_forms", "no_limits")]

PROPERTY = settings(
    max_examples=25,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)

API = "/api/registrations/"
WEB = "/nehzat/register/"
STATUS_WEB = "/nehzat/status/"
STATUS_API = "/api/registrations/status/"
INBOUND = "/sms/kavenegar/inbound/test-webhook-secret/"
REPORT = "/sms/kavenegar/status/test-webhook-secret/"

# Text fields of the form, with the longest value their database column holds.
TEXT_FIELDS = [
    name
    for name, field in RegistrationFieldsForm.base_fields.items()
    if field.__class__.__name__ in ("CharField", "EmailField", "DigitsCharField")
]
INVISIBLE = "\u200c\u200d\u200e\u200f\u200b\u2060\ufeff\u00a0 \t"


@pytest.fixture
def no_limits(settings):
    settings.REGISTRATION_IP_RATE = settings.STATUS_LOOKUP_IP_RATE = "100000/m"
    settings.REGISTRATION_MOBILE_RATE = "100000/m"
    settings.SMS_WEBHOOK_SECRET = "test-webhook-secret"


def column_length(name: str) -> int | None:
    return getattr(Registration._meta.get_field(name), "max_length", None)


def nothing_written(sms_outbox):
    assert not Registration.objects.exists()
    assert not SmsMessage.objects.exists()
    assert not sms_outbox


def api_body(**overrides) -> dict:
    data = registration_form_data()
    for name in ("website", "started"):
        data.pop(name)
    data["consent"] = True
    data.update(overrides)
    return {"campaign": "nehzat", **data}


def post_json(client, url, raw: str, **headers):
    return client.post(url, raw, content_type="application/json", **headers)


def post_form_bytes(client, url, fields: dict[str, str | bytes | list]):
    """A form body as a browser (or anything else) may send it: any bytes, percent-encoded."""
    parts = []
    for name, value in fields.items():
        for item in value if isinstance(value, list) else [value]:
            raw = item if isinstance(item, bytes) else item.encode("utf-8", "surrogatepass")
            parts.append(f"{quote_from_bytes(name.encode())}={quote_from_bytes(raw)}")
    return client.post(url, "&".join(parts), content_type="application/x-www-form-urlencoded")


# --- strategies: the classes of bad text ----------------------------------------------------

# One surrogate alone: a high one followed by a low one would be a valid (astral) character.
lone_surrogates = st.builds(
    lambda a, bad, b: a + bad + b,
    st.text(max_size=5),
    st.characters(categories=["Cs"]),
    st.text(max_size=5),
)
with_nul = st.builds(lambda a, b: a + "\x00" + b, st.text(max_size=10), st.text(max_size=10))
invisible_only = st.text(st.sampled_from(INVISIBLE), min_size=1, max_size=20)


def too_long(name):
    limit = column_length(name) or 3000
    return st.integers(limit + 1, limit + 300).map(lambda n: ("a" * n)[: n - 12] + "@example.org")


# --- JSON API --------------------------------------------------------------------------------


@pytest.mark.parametrize("field", TEXT_FIELDS)
def test_the_api_refuses_text_that_is_not_unicode(client, sms_outbox, field):
    @given(bad=lone_surrogates)
    @PROPERTY
    def check(bad):
        raw = json.dumps(api_body(**{field: bad}))  # ensure_ascii: "\ud800" escapes
        response = post_json(client, API, raw)
        assert response.status_code == 400, response.content
        assert response.json()["errors"][0]["message"]
        nothing_written(sms_outbox)

    check()


def test_a_lone_surrogate_in_an_extra_answer_or_key_is_refused(client, sms_outbox):
    for body in (
        api_body(extra_answers={"q": "\udfff"}),
        api_body(extra_answers={"\ud800": "x"}),
        {**api_body(), "\udc00": "x"},
    ):
        response = post_json(client, API, json.dumps(body))
        assert response.status_code == 400
        nothing_written(sms_outbox)


def test_the_api_refuses_deeply_nested_json_in_persian(client, sms_outbox):
    @given(depth=st.integers(50, 100_000), where=st.sampled_from(["body", "field", "answers"]))
    @PROPERTY
    def check(depth, where):
        nested = "[" * depth + "]" * depth
        raw = {
            "body": nested,
            "field": json.dumps(api_body())[:-1] + f', "city": {nested}}}',
            "answers": json.dumps(api_body())[:-1] + f', "extra_answers": {{"q": {nested}}}}}',
        }[where]
        response = post_json(client, API, raw)
        assert response.status_code in (400, 413), response.content
        errors = response.json()["errors"]
        assert any("\u0600" <= ch <= "\u06ff" for ch in errors[0]["message"])
        nothing_written(sms_outbox)

    check()


@pytest.mark.parametrize("field", [f for f in TEXT_FIELDS if column_length(f)])
def test_values_longer_than_their_column_are_refused_everywhere(client, sms_outbox, field):
    @given(value=too_long(field))
    @PROPERTY
    def check(value):
        api = post_json(client, API, json.dumps(api_body(**{field: value})))
        web = client.post(WEB, registration_form_data(**{field: value}))
        assert api.status_code == 400, api.content
        assert field in {e["field"] for e in api.json()["errors"]}
        assert web.status_code == 400
        nothing_written(sms_outbox)

    check()


@pytest.mark.parametrize("field", ["organisation_name", "city", "representative_name"])
def test_required_text_of_invisible_characters_only_is_empty(client, sms_outbox, field):
    @given(value=invisible_only)
    @PROPERTY
    def check(value):
        api = post_json(client, API, json.dumps(api_body(**{field: value})))
        web = client.post(WEB, registration_form_data(**{field: value}))
        assert api.status_code == 400
        assert field in {e["field"] for e in api.json()["errors"]}
        assert web.status_code == 400
        nothing_written(sms_outbox)

    check()


@pytest.mark.parametrize("field", TEXT_FIELDS)
def test_nul_characters_are_refused_on_both_channels(client, sms_outbox, field):
    @given(value=with_nul)
    @PROPERTY
    def check(value):
        api = post_json(client, API, json.dumps(api_body(**{field: value})))
        web = client.post(WEB, registration_form_data(**{field: value}))
        assert api.status_code == 400, api.content
        assert web.status_code == 400
        nothing_written(sms_outbox)

    check()


def test_any_bytes_in_any_web_form_field_never_fail(client, sms_outbox):
    names = [*RegistrationFieldsForm.base_fields, "website", "started", "sms_token"]

    @given(field=st.sampled_from(names), raw=st.binary(min_size=1, max_size=40))
    @PROPERTY
    def check(field, raw):
        data = registration_form_data()
        data[field] = raw + b"\x00\xed\xa0\x80"  # and always a NUL and an encoded surrogate
        response = post_form_bytes(client, WEB, data)
        assert response.status_code < 500
        nothing_written(sms_outbox)

    check()


@pytest.mark.parametrize("channel", ["web", "api"])
def test_a_repeated_choice_is_stored_once(client, on_commit, channel):
    choices = ["education"] * 2000 + ["social_harm"] * 2 + ["education"]  # under 64 KB
    if channel == "web":
        on_commit(post_form_bytes, client, WEB, registration_form_data(fields_of_activity=choices))
    else:
        on_commit(post_json, client, API, json.dumps(api_body(fields_of_activity=choices)))
    assert Registration.objects.get().fields_of_activity == ["education", "social_harm"]


# --- status lookup -----------------------------------------------------------------------


def test_the_status_lookup_never_fails(client, sms_outbox):
    bad = st.one_of(lone_surrogates, with_nul, invisible_only, st.text(max_size=300))

    @given(tracking_code=bad, mobile=bad)
    @PROPERTY
    def check(tracking_code, mobile):
        web = post_form_bytes(
            client, STATUS_WEB, {"tracking_code": tracking_code, "mobile": mobile}
        )
        api = client.get(
            f"{STATUS_API}?tracking_code={quote_from_bytes(tracking_code.encode('utf-8', 'surrogatepass'))}"
            f"&mobile={quote_from_bytes(mobile.encode('utf-8', 'surrogatepass'))}"
        )
        assert web.status_code in (400, 404)
        assert api.status_code in (400, 404)
        nothing_written(sms_outbox)

    check()


# --- SMS webhooks ---------------------------------------------------------------------------

webhook_text = st.one_of(
    with_nul, st.text(min_size=65, max_size=400), st.text(string.digits, min_size=65, max_size=5000)
)


def test_the_inbound_webhook_refuses_what_its_columns_cannot_hold(client, sms_outbox):
    @given(
        field=st.sampled_from(["messageid", "from", "to", "message"]),
        value=webhook_text,
        method=st.sampled_from(["get", "post"]),
    )
    @PROPERTY
    def check(field, value, method):
        data = {"from": "09123456789", "to": "30001152", "message": "9", "messageid": "77"}
        data[field] = value
        response = getattr(client, method)(INBOUND, data)
        assert response.status_code < 500
        if response.status_code != 200:
            assert not InboundSms.objects.exists()
            nothing_written(sms_outbox)
        InboundSms.objects.all().delete()
        Registration.objects.all().delete()
        SmsMessage.objects.all().delete()
        sms_outbox.clear()

    check()


@pytest.mark.parametrize("field", ["messageid", "from", "to"])
def test_an_inbound_field_with_a_nul_or_an_overlong_id_is_a_400(client, sms_outbox, field):
    for value in ("12\x0034", "9" * 65 if field == "messageid" else "0912\x00"):
        data = {"from": "09123456789", "to": "30001152", "message": "9", "messageid": "77"}
        data[field] = value
        response = client.post(INBOUND, data)
        assert response.status_code == 400
        assert not InboundSms.objects.exists()
        nothing_written(sms_outbox)


def test_the_report_webhook_never_fails(client, sms_outbox):
    @given(
        messageid=st.one_of(webhook_text, st.just("1")),
        status=st.one_of(webhook_text, st.just("10")),
        method=st.sampled_from(["get", "post"]),
    )
    @PROPERTY
    def check(messageid, status, method):
        response = getattr(client, method)(REPORT, {"messageid": messageid, "status": status})
        assert response.status_code < 500
        assert not SmsMessage.objects.exists()

    check()


# --- media with Range ------------------------------------------------------------------------


@pytest.fixture
def clip(settings):
    folder = Path(settings.MEDIA_ROOT) / "hardening"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "clip.mp4").write_bytes(b"x" * 1000)
    return f"{settings.MEDIA_URL}hardening/clip.mp4"


def test_any_range_header_gets_the_file_a_part_or_416(client, clip):
    # Python refuses to read more than 4,300 digits as a number: go past that too.
    digits = st.one_of(
        st.text(string.digits, max_size=20), st.integers(4200, 9000).map(lambda n: "7" * n)
    )
    header = st.one_of(
        st.builds(lambda a, b: f"bytes={a}-{b}", digits, digits),
        st.builds(lambda a: f"bytes=-{a}", digits),
        st.text(max_size=200).map(lambda t: t.encode("utf-8", "surrogatepass").decode("latin-1")),
    )

    @given(value=header)
    @PROPERTY
    def check(value):
        response = client.get(clip, HTTP_RANGE=value)
        assert response.status_code in (200, 206, 416)
        if response.status_code == 206:
            start, end = response["Content-Range"].split()[1].split("/")[0].split("-")
            assert 0 <= int(start) <= int(end) < 1000

    check()


# --- the client address header -------------------------------------------------------------

header_values = st.one_of(
    st.text(max_size=80),
    st.lists(st.ip_addresses().map(str), min_size=2, max_size=4).map(", ".join),
    st.sampled_from(["999.1.1.1", "1.2.3", "::gg", "fe80::1%eth0", "1.2.3.4/8", " ", "-"]),
)


def _ascii_header(value: str) -> str:
    return value.encode("utf-8", "surrogatepass").decode("latin-1")


def test_a_malformed_client_address_header_never_fails(client, settings, sms_outbox):
    settings.CLIENT_IP_META_KEY = "HTTP_X_REAL_IP"

    @given(value=header_values)
    @PROPERTY
    def check(value):
        header = {"HTTP_X_REAL_IP": _ascii_header(value)}
        web = client.post(WEB, registration_form_data(mobile="021"), **header)
        api = client.get(f"{STATUS_API}?tracking_code=12345678&mobile=09123456789", **header)
        status = client.post(STATUS_WEB, {"tracking_code": "1", "mobile": "1"}, **header)
        assert web.status_code == 400
        assert api.status_code == 404
        assert status.status_code == 400
        nothing_written(sms_outbox)

    check()


def test_requests_with_unusable_addresses_share_one_limit(client, settings):
    settings.CLIENT_IP_META_KEY = "HTTP_X_REAL_IP"
    settings.STATUS_LOOKUP_IP_RATE = "3/m"
    answers = [
        client.get(
            f"{STATUS_API}?tracking_code=12345678&mobile=09123456789", HTTP_X_REAL_IP=value
        ).status_code
        for value in ("not an address", "999.1.1.1", "", "::gg", "x")
    ]
    assert answers == [404, 404, 404, 429, 429]


# --- the limits themselves ------------------------------------------------------------------


def test_every_form_text_field_is_limited_to_its_column():
    from django import forms

    for name, field in RegistrationFieldsForm.base_fields.items():
        limit = column_length(name)
        if not limit or not isinstance(field, forms.CharField) or name == "mobile":
            continue
        limits = [v.limit_value for v in field.validators if hasattr(v, "limit_value")]
        assert limits and min(limits) <= limit, name


def test_webhook_message_ids_are_limited_to_the_columns():
    from sms.backends.base import MAX_MESSAGE_ID_LENGTH

    for model in (InboundSms, SmsMessage):
        assert model._meta.get_field("provider_message_id").max_length == MAX_MESSAGE_ID_LENGTH


SHARED = "shared"


@pytest.mark.parametrize(
    "header, address",
    [
        ("203.0.113.7", "203.0.113.7"),
        (" 2001:db8::1 ", "2001:db8::1"),
        # A list counts by its last address, the one the nearest proxy added.
        ("198.51.100.1, 203.0.113.7", "203.0.113.7"),
        ("203.0.113.7, junk", SHARED),
        ("999.1.1.1", SHARED),
        ("", SHARED),
    ],
)
def test_the_client_address_is_always_an_address(rf, settings, header, address):
    from config.security import SHARED_BUCKET, client_ip

    settings.CLIENT_IP_META_KEY = "HTTP_X_REAL_IP"
    expected = SHARED_BUCKET if address == SHARED else address
    assert client_ip(rf.get("/", HTTP_X_REAL_IP=header)) == expected


# --- the whole API from its schema (schemathesis), requests that break the schema ----------


@pytest.fixture
def api_from_schema():
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    import schemathesis

    from config.wsgi import application

    # As Django's test client: a request must not close the test transaction's connection.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/schema/", application)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.mark.parametrize(
    "operation_id",
    [
        "registrations_create",
        "registrations_confirm",
        "registrations_resend",
        "registrations_status",
    ],
)
def test_requests_that_break_the_schema_write_nothing_and_send_nothing(
    api_from_schema, sms_outbox, operation_id
):
    from schemathesis import GenerationMode
    from schemathesis.checks import not_a_server_error

    operation = api_from_schema.find_operation_by_id(operation_id)

    @given(case=operation.as_strategy(generation_mode=GenerationMode.NEGATIVE))
    @PROPERTY
    def check(case):
        response = case.call_and_validate(checks=[not_a_server_error])
        assert 400 <= response.status_code < 500
        nothing_written(sms_outbox)

    check()


# --- query strings of every public GET endpoint --------------------------------------------

PUBLIC_GET = [
    "/",
    "/nehzat/",
    "/en/nehzat/",
    "/search/",
    "/api/search/",
    "/api/v2/pages/",
    "/api/v2/pages/find/",
    "/api/v2/images/",
    "/api/v2/documents/",
    "/api/v2/media/",
    "/api/v3-preview/pages/",
    "/api/registrations/status/",
    "/nehzat/register/",
    "/nehzat/status/",
    INBOUND,
    REPORT,
]
PARAMS = [
    "q",
    "search",
    "slug",
    "type",
    "fields",
    "locale",
    "html_path",
    "order",
    "t",
    "id",
    "messageid",
]


def test_no_query_string_makes_a_public_page_fail(sms_outbox):
    from django.test import Client

    visitor = Client(raise_request_exception=False)

    @given(
        url=st.sampled_from(PUBLIC_GET),
        name=st.sampled_from(PARAMS),
        value=st.one_of(with_nul, st.text(max_size=300), st.text(string.digits, max_size=40)),
    )
    @PROPERTY
    def check(url, name, value):
        query = f"{quote_from_bytes(name.encode())}={quote_from_bytes(value.encode())}"
        response = visitor.get(f"{url}?{query}")
        assert response.status_code < 500, (url, name, value)
        if "\x00" in value and url.startswith("/api/"):
            assert response.status_code == 400
        nothing_written(sms_outbox)

    check()
