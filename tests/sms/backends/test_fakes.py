"""The fake provider servers themselves: wire details the back-ends do not exercise."""

import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from django.conf import settings

import pytest
import requests

from tests.fakes.kavenegar import FakeKavenegar
from tests.fakes.smsir import FakeSmsir


KEY = "fake-key"


@pytest.fixture
def kavenegar():
    with FakeKavenegar(api_key=KEY) as fake:
        yield fake


@pytest.fixture
def smsir():
    with FakeSmsir(api_key=KEY) as fake:
        yield fake


def kavenegar_send(fake, **fields):
    return requests.post(f"{fake.base_url}/v1/{KEY}/sms/send.json", data=fields, timeout=5)


def smsir_bulk(fake, body, key=KEY, header="X-API-KEY"):
    return requests.post(
        f"{fake.base_url}/v1/send/bulk", json=body, headers={header: key}, timeout=5
    )


# --- Kavenegar wire contract -----------------------------------------------------------


def test_kavenegar_answers_with_the_code_in_the_http_status(kavenegar):
    response = requests.post(
        f"{kavenegar.base_url}/v1/wrong/sms/send.json", data={"receptor": "09121234567"}, timeout=5
    )
    assert response.status_code == 403
    assert response.json() == {
        "return": {"status": 403, "message": "کد شناسائی API-Key معتبر نمی‌باشد"},
        "entries": None,
    }


def test_kavenegar_unknown_method_is_404(kavenegar):
    assert (
        requests.get(f"{kavenegar.base_url}/v1/{KEY}/sms/nothing.json", timeout=5).status_code
        == 404
    )


def test_kavenegar_sendarray_refuses_get(kavenegar):
    assert (
        requests.get(f"{kavenegar.base_url}/v1/{KEY}/sms/sendarray.json", timeout=5).status_code
        == 405
    )


def test_kavenegar_accepts_query_parameters(kavenegar):
    response = requests.get(
        f"{kavenegar.base_url}/v1/{KEY}/sms/send.json",
        params={"receptor": "09121234567", "message": "hi"},
        timeout=5,
    )
    assert response.status_code == 200
    assert response.json()["entries"][0]["receptor"] == "09121234567"


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"message": "hi"}, 400),
        ({"receptor": "", "message": "hi"}, 406),
        ({"receptor": "09121234567", "message": ""}, 413),
        ({"receptor": "09121234567", "message": "x" * 901}, 413),
        ({"receptor": ",".join(["09121234567"] * 201), "message": "hi"}, 414),
        ({"receptor": "021888888", "message": "hi"}, 411),
        ({"receptor": "09121234567", "message": "hi", "sender": "10004346"}, 412),
        ({"receptor": "09121234567", "message": "hi", "date": "1"}, 417),
        ({"receptor": "09121234567,09121234568", "message": "hi", "localid": "1"}, 400),
    ],
)
def test_kavenegar_send_validation(kavenegar, fields, code):
    response = kavenegar_send(kavenegar, **fields)
    assert response.status_code == code
    assert response.json()["return"]["status"] == code
    assert kavenegar.messages == []


def test_kavenegar_send_returns_one_entry_per_receptor(kavenegar):
    entries = kavenegar_send(
        kavenegar, receptor="09121234567,+989351234567", message="hi", localid="1,2"
    ).json()["entries"]
    assert [e["receptor"] for e in entries] == ["09121234567", "+989351234567"]
    assert [e["status"] for e in entries] == [1, 1]
    assert len({e["messageid"] for e in entries}) == 2


def test_kavenegar_localid_returns_the_original_entry(kavenegar):
    first = kavenegar_send(kavenegar, receptor="09121234567", message="hi", localid="5").json()[
        "entries"
    ][0]
    again = kavenegar_send(kavenegar, receptor="09121234567", message="hi", localid="5").json()[
        "entries"
    ][0]
    assert again == first
    assert len(kavenegar.messages) == 1


def test_kavenegar_statuslocalmessageid(kavenegar):
    sent = kavenegar_send(kavenegar, receptor="09121234567", message="hi", localid="5").json()[
        "entries"
    ][0]
    entries = requests.post(
        f"{kavenegar.base_url}/v1/{KEY}/sms/statuslocalmessageid.json",
        data={"localid": "5,6"},
        timeout=5,
    ).json()["entries"]
    assert [(e["messageid"], e["localid"], e["status"]) for e in entries] == [
        (sent["messageid"], "5", 1),
        (0, "6", 100),
    ]


def test_kavenegar_credit_is_charged_per_part(kavenegar):
    kavenegar.configure(credit=3)
    assert kavenegar_send(kavenegar, receptor="09121234567", message="س" * 71).status_code == 200
    assert kavenegar_send(kavenegar, receptor="09121234567", message="س" * 71).status_code == 418
    assert [m["parts"] for m in kavenegar.messages] == [2]


def test_kavenegar_500_fault_has_no_json_body(kavenegar):
    kavenegar.configure(fail_rate=1.0, fail_with=["500"])
    response = kavenegar_send(kavenegar, receptor="09121234567", message="hi")
    assert response.status_code == 500
    assert response.headers["Content-Type"].startswith("text/html")


def test_kavenegar_hello_world_needs_no_key(kavenegar):
    response = requests.get(f"{kavenegar.base_url}/v1/0/utils/getdate.json", timeout=5)
    assert response.json()["entries"]["unixtime"] > 0


# --- SMS.ir wire contract --------------------------------------------------------------

BULK = {
    "lineNumber": 30001152,
    "messageText": "سلام",
    "mobiles": ["09121234567"],
    "sendDateTime": None,
}


def test_smsir_header_name_is_case_insensitive(smsir):
    response = smsir_bulk(smsir, BULK, header="x-api-key")
    assert response.json()["status"] == 1


def test_smsir_json_keys_are_case_insensitive(smsir):
    body = {
        "LineNumber": 30001152,
        "MessageText": "سلام",
        "Mobiles": ["09121234567"],
        "SendDateTime": None,
    }
    assert smsir_bulk(smsir, body).json()["status"] == 1


def test_smsir_refuses_a_string_line_number(smsir):
    response = smsir_bulk(smsir, {**BULK, "lineNumber": "30001152"})
    assert response.status_code == 400
    assert smsir.messages == []


@pytest.mark.parametrize(
    ("body", "http", "status"),
    [
        ({**BULK, "lineNumber": 10004346}, 400, 101),
        ({**BULK, "messageText": ""}, 400, 103),
        ({**BULK, "mobiles": []}, 400, 107),
        ({**BULK, "mobiles": ["09121234567"] * 101}, 400, 105),
        ({**BULK, "sendDateTime": 1}, 400, 109),
    ],
)
def test_smsir_bulk_validation(smsir, body, http, status):
    response = smsir_bulk(smsir, body)
    assert (response.status_code, response.json()["status"], response.json()["data"]) == (
        http,
        status,
        None,
    )


def test_smsir_missing_key_is_401_status_10(smsir):
    response = requests.post(f"{smsir.base_url}/v1/send/bulk", json=BULK, timeout=5)
    assert (response.status_code, response.json()["status"]) == (401, 10)


def test_smsir_message_ids_line_up_with_mobiles(smsir):
    smsir.configure(blacklist=["09350000000"])
    data = smsir_bulk(smsir, {**BULK, "mobiles": ["09121234567", "123", "09350000000"]}).json()[
        "data"
    ]
    assert data["messageIds"][1:] == [None, 0]
    assert isinstance(data["messageIds"][0], int)


def test_smsir_verify_fills_the_template(smsir):
    response = requests.post(
        f"{smsir.base_url}/v1/send/verify",
        json={
            "mobile": "09121234567",
            "templateId": 123456,
            "parameters": [{"name": "CODE", "value": "12345"}],
        },
        headers={"X-API-KEY": KEY},
        timeout=5,
    )
    assert response.json()["status"] == 1
    assert smsir.messages[0]["text"] == "کد تایید شما: 12345"


def test_smsir_verify_unknown_template_is_113(smsir):
    response = requests.post(
        f"{smsir.base_url}/v1/send/verify",
        json={"mobile": "09121234567", "templateId": 1, "parameters": []},
        headers={"X-API-KEY": KEY},
        timeout=5,
    )
    assert response.json()["status"] == 113


def test_smsir_receive_latest_returns_each_message_once(smsir):
    smsir.add_inbound(sender="+989121234567", text="9")
    url = f"{smsir.base_url}/v1/receive/latest?count=100"
    first = requests.get(url, headers={"X-API-KEY": KEY}, timeout=5).json()["data"]
    second = requests.get(url, headers={"X-API-KEY": KEY}, timeout=5).json()["data"]
    assert [(m["mobile"], m["number"], m["messageText"]) for m in first] == [
        (9121234567, 30001152, "9")
    ]
    assert second == []


# --- control endpoints and faults ------------------------------------------------------


def test_control_endpoints(kavenegar):
    control = f"{kavenegar.base_url}/__fake__"
    inbound = requests.post(
        f"{control}/inbound", json={"sender": "09121234567", "text": "9"}, timeout=5
    ).json()
    assert (inbound["sender"], inbound["receptor"], inbound["read"]) == (
        "09121234567",
        "30001152",
        False,
    )
    kavenegar_send(kavenegar, receptor="09121234567", message="hi", localid="3")
    (message,) = requests.get(f"{control}/messages", timeout=5).json()
    assert (message["receptor"], message["text"], message["localid"], message["status"]) == (
        "09121234567",
        "hi",
        "3",
        1,
    )
    (logged,) = requests.get(f"{control}/requests", timeout=5).json()
    assert logged["method"] == "POST"
    assert logged["path"] == f"/v1/{KEY}/sms/send.json"
    assert logged["body"] == "receptor=09121234567&message=hi&localid=3"
    assert ["Content-Type", "application/x-www-form-urlencoded"] in logged["headers"]
    assert (
        requests.post(f"{control}/config", json={"latency_ms": 5}, timeout=5).json()["latency_ms"]
        == 5
    )
    requests.post(f"{control}/reset", timeout=5)
    assert requests.get(f"{control}/messages", timeout=5).json() == []
    assert requests.get(f"{control}/config", timeout=5).json()["latency_ms"] == 0


def test_control_config_refuses_unknown_settings(kavenegar):
    response = requests.post(
        f"{kavenegar.base_url}/__fake__/config", json={"latency": 5}, timeout=5
    )
    assert response.status_code == 400


def test_control_inbound_push_marks_read_on_2xx(kavenegar, httpserver):
    httpserver.expect_request("/hook", method="POST").respond_with_data("ok")
    result = requests.post(
        f"{kavenegar.base_url}/__fake__/inbound",
        json={"sender": "09121234567", "text": "۹", "push_url": httpserver.url_for("/hook")},
        timeout=5,
    ).json()
    assert (result["push_status"], result["read"]) == (200, True)
    request, _ = httpserver.log[0]
    assert request.form.to_dict() == {
        "from": "09121234567",
        "to": "30001152",
        "message": "۹",
        "messageid": str(result["id"]),
    }


def test_faults_follow_the_seed():
    def outcomes(seed):
        with FakeKavenegar(api_key=KEY, seed=seed, fail_rate=0.5, fail_with=["409", "500"]) as fake:
            return [
                kavenegar_send(fake, receptor="09121234567", message="hi").status_code
                for _ in range(20)
            ]

    first = outcomes(1)
    assert outcomes(1) == first
    assert set(first) == {200, 409, 500}


def test_many_concurrent_requests_with_latency_are_served_in_parallel():
    with (
        FakeKavenegar(api_key=KEY, latency_ms=50) as fake,
        ThreadPoolExecutor(max_workers=40) as pool,
    ):
        started = time.monotonic()
        codes = list(
            pool.map(
                lambda n: kavenegar_send(fake, receptor="09121234567", message=str(n)).status_code,
                range(200),
            )
        )
        elapsed = time.monotonic() - started
    assert codes == [200] * 200
    assert elapsed < 2.0  # one after another would take 10 s


@pytest.mark.parametrize(
    ("module", "check"), [("kavenegar", "/v1/0/utils/getdate.json"), ("smsir", "/__fake__/config")]
)
def test_the_fake_runs_standalone(module, check):
    process = subprocess.Popen(  # noqa: S603 - fixed arguments
        [
            sys.executable,
            "-m",
            f"tests.fakes.{module}",
            "--port",
            "0",
            "--api-key",
            KEY,
            "--latency-ms",
            "1",
            "--seed",
            "1",
        ],
        cwd=Path(settings.BASE_DIR),
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        line = process.stdout.readline()
        assert line.startswith("listening on http://127.0.0.1:")
        base_url = line.split()[-1]
        assert requests.get(base_url + check, timeout=5).status_code == 200
    finally:
        process.terminate()
        process.wait(timeout=5)
    assert process.returncode == 0
