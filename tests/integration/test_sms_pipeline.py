"""Registration confirmed by SMS through a real Celery worker and the fake Kavenegar over HTTP.

gunicorn serves the form, PostgreSQL keeps the registration and its outbox row, Redis carries
the task, a `celery worker -P threads` process sends through `SMS_BACKEND=kavenegar` with
`KAVENEGAR_BASE_URL` pointing at the fake provider, which records what it accepted.
"""

import re
import urllib.parse
from collections import Counter

import pytest

from . import stack


# django_db: pytest-django builds the test database only for tests that ask for one, and
# the live database is a copy of it.
pytestmark = [
    pytest.mark.integration,
    pytest.mark.django_db,
    pytest.mark.usefixtures("clean_state"),
]


def verification_code(fake, mobile: str) -> str:
    texts = [m["text"] for m in fake.messages() if m["receptor"] == mobile]
    codes = [match[0] for text in texts if (match := re.search(r"\d{6}", text))]
    assert len(codes) == 1, f"expected one code SMS to {mobile}, the fake has {texts}"
    return codes[0]


def test_a_registration_is_confirmed_end_to_end_through_the_worker(web, provider, worker, live_db):
    fake = provider
    visitor = stack.Visitor(web)
    mobile = stack.mobile_number(1)

    response = visitor.register(mobile)
    assert response.status_code == 302, response.text[:2000]
    confirm_path = response.headers["Location"]

    stack.wait_until(
        lambda: fake.messages(), timeout=30, what="the verification SMS at the provider"
    )
    code = verification_code(fake, mobile)
    confirmed = visitor.confirm(confirm_path, code)
    assert confirmed.status_code == 302, confirmed.text[:2000]
    done = visitor.session.get(urllib.parse.urljoin(web, confirmed.headers["Location"]))
    tracking_code = live_db.scalar("SELECT tracking_code FROM registrations_registration")
    assert stack.to_persian_digits(tracking_code) in done.text

    stack.wait_until(
        lambda: len(fake.messages()) == 2, timeout=30, what="the receipt SMS at the provider"
    )
    messages = fake.messages()
    assert [m["receptor"] for m in messages] == [mobile, mobile]
    assert code in messages[0]["text"]
    assert tracking_code in messages[1]["text"]
    assert live_db.scalar("SELECT status FROM registrations_registration") == "confirmed"
    rows = live_db.sms_rows()
    assert [(r["purpose"], r["status"], r["attempts"]) for r in rows] == [
        ("verification", "sent", 1),
        ("receipt", "sent", 1),
    ]
    assert [r["provider_message_id"] for r in rows] == [str(m["id"]) for m in messages]
    # Each provider call carried the outbox row's idempotency key as Kavenegar's localid.
    assert [call["localid"] for call in fake.send_requests()] == [
        str(r["idempotency_key"]) for r in rows
    ]


def test_each_registration_gets_exactly_one_code_and_one_receipt(web, provider, worker, live_db):
    fake = provider
    fake.configure(latency_ms=50)
    mobiles = [stack.mobile_number(100 + i) for i in range(10)]
    visitors = {}
    for mobile in mobiles:
        visitors[mobile] = visitor = stack.Visitor(web)
        response = visitor.register(mobile)
        assert response.status_code == 302, response.text[:2000]
        visitor.confirm_path = response.headers["Location"]
    stack.wait_until(
        lambda: len(fake.messages()) == len(mobiles), timeout=60, what="ten verification SMS"
    )
    for mobile, visitor in visitors.items():
        assert (
            visitor.confirm(visitor.confirm_path, verification_code(fake, mobile)).status_code
            == 302
        )

    stack.wait_until(
        lambda: live_db.sms_statuses() == {"sent": 2 * len(mobiles)},
        timeout=60,
        what="every code and receipt sent",
        details=lambda: str(live_db.sms_statuses()),
    )
    per_recipient = Counter(m["receptor"] for m in fake.messages())
    assert per_recipient == dict.fromkeys(mobiles, 2)
    purposes = Counter((r["recipient"], r["purpose"]) for r in live_db.sms_rows())
    assert set(purposes.values()) == {1}
    assert len(purposes) == 2 * len(mobiles)


def test_the_same_task_delivered_twice_sends_one_sms(web, provider, worker, live_db, broker):
    fake = provider
    fake.configure(latency_ms=200)
    # An outbox row whose task the broker is about to hand out several times at once, as a
    # redelivery after a lost acknowledgement does; due in the future, so the sweep keeps away.
    message_id = live_db.scalar(
        "INSERT INTO registrations_smsmessage (recipient, text, purpose, status, attempts,"
        " provider, provider_message_id, idempotency_key, last_error, created_at, updated_at,"
        " next_attempt_at) VALUES ('+989121234567', 'کد شما: 123456', 'verification', 'queued',"
        " 0, '', '', 4242, '', now(), now(), now() + interval '1 hour') RETURNING id"
    )
    before = worker.tasks_succeeded()
    for _ in range(8):
        broker.send_task("registrations.tasks.send_sms", args=[message_id], queue="sms")

    stack.wait_until(
        lambda: live_db.sms_statuses() == {"sent": 1}, timeout=30, what="the message sent"
    )
    # Once more, after it was sent.
    for _ in range(2):
        broker.send_task("registrations.tasks.send_sms", args=[message_id], queue="sms")
    stack.wait_until(
        lambda: worker.tasks_succeeded() - before == 10,
        timeout=30,
        what="all ten deliveries of the task run",
        details=worker.output,
    )

    assert len(fake.messages()) == 1
    assert [call["localid"] for call in fake.send_requests()] == ["4242"]
    assert live_db.sms_rows()[0]["attempts"] == 1
