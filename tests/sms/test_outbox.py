"""The SMS outbox: every queued message is sent exactly once, whatever fails around it."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone

from wagtail.models import Site

import pytest

from registrations.models import SmsTexts
from registrations.purposes import RECEIPT, VERIFICATION
from sms import outbox
from sms.backends import (
    AccountSmsError,
    AmbiguousSmsError,
    PermanentSmsError,
    TransientSmsError,
    locmem,
)
from sms.choices import SmsStatus
from sms.models import SmsGatewayState, SmsMessage, SmsOptOut
from sms.purposes import HELP


pytestmark = pytest.mark.django_db


@pytest.fixture
def message(sms_outbox):
    # Queued outside on_commit: the tests drive delivery themselves.
    return outbox.queue_sms(recipient="+989123456789", text="کد شما: 123456", purpose=VERIFICATION)


def test_queueing_writes_the_row_and_enqueues_after_commit(on_commit, sms_outbox):
    on_commit(
        outbox.queue_sms,
        recipient="+989123456789",
        text="سلام",
        purpose=RECEIPT,
    )
    row = SmsMessage.objects.get()
    assert row.status == SmsStatus.SENT
    assert row.provider == "locmem"
    assert row.provider_message_id == sms_outbox[0].message_id
    assert row.attempts == 1


def test_nothing_is_sent_when_the_transaction_rolls_back(
    django_capture_on_commit_callbacks, sms_outbox
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        outbox.queue_sms(recipient="+989123456789", text="x", purpose=RECEIPT)
    # The callbacks never run: the transaction is abandoned.
    assert len(callbacks) == 1
    assert sms_outbox == []


def test_delivering_the_same_message_twice_sends_one_sms(message, sms_outbox):
    outbox.deliver(message.pk)
    outbox.deliver(message.pk)
    assert len(sms_outbox) == 1
    assert SmsMessage.objects.get().attempts == 1


def test_the_claimed_row_is_what_reaches_the_provider(message, sms_outbox):
    outbox.deliver(message.pk)
    sent = sms_outbox[0]
    assert (sent.to, sent.text, sent.idempotency_key) == (
        "+989123456789",
        message.text,
        message.idempotency_key,
    )


def test_a_row_id_used_again_after_a_restore_still_sends_its_message(message, sms_outbox):
    # A database restored from a backup (or staging on the same provider account) hands
    # out row ids the provider has already seen as idempotency keys.
    outbox.deliver(message.pk)
    reused_id = message.pk
    SmsMessage.objects.all().delete()
    newer = SmsMessage.objects.create(
        pk=reused_id, recipient="+989121112233", text="کد شما: 654321", purpose="verification"
    )

    outbox.deliver(newer.pk)

    assert [m.text for m in sms_outbox] == ["کد شما: 123456", "کد شما: 654321"]
    assert newer.idempotency_key != message.idempotency_key


def test_every_message_has_its_own_positive_63_bit_key(sms_outbox):
    keys = {
        outbox.queue_sms(recipient="+989123456789", text="x", purpose="receipt").idempotency_key
        for _ in range(50)
    }
    assert len(keys) == 50
    assert all(0 < key < 2**63 for key in keys)


def test_a_paused_gateway_claims_nothing_and_counts_no_attempt(message, sms_outbox):
    SmsGatewayState.objects.create(pk=1, paused_at=timezone.now(), reason="418")
    assert outbox.deliver(message.pk) is None
    row = SmsMessage.objects.get()
    assert (row.status, row.attempts) == (SmsStatus.QUEUED, 0)
    assert sms_outbox == []


def test_a_message_claimed_by_another_worker_is_left_alone(message, sms_outbox):
    SmsMessage.objects.filter(pk=message.pk).update(status=SmsStatus.SENDING)
    assert outbox.deliver(message.pk) is None
    assert sms_outbox == []


def test_a_transient_error_requeues_with_backoff(message, sms_outbox):
    locmem.fail_next(TransientSmsError("409 try later", code="409"))
    retry_in = outbox.deliver(message.pk)
    row = SmsMessage.objects.get()
    assert 1 <= retry_in <= 2
    assert row.status == SmsStatus.QUEUED
    assert row.next_attempt_at > timezone.now()
    assert "409" in row.last_error
    assert outbox.deliver(message.pk) is None
    assert len(sms_outbox) == 1
    row = SmsMessage.objects.get()
    assert (row.status, row.attempts, row.provider) == (SmsStatus.SENT, 2, "locmem")
    assert row.provider_message_id == sms_outbox[0].message_id
    assert (row.last_error, row.next_attempt_at) == ("", None)
    assert row.sent_at is not None and abs(row.sent_at - timezone.now()).total_seconds() < 60


def test_backoff_grows_but_stays_under_the_cap(settings):
    settings.SMS_RETRY_BACKOFF_MAX = 300
    assert all(1 <= outbox.backoff_seconds(1) <= 2 for _ in range(50))
    assert all(1 <= outbox.backoff_seconds(20) <= 300 for _ in range(50))
    assert max(outbox.backoff_seconds(8) for _ in range(200)) > 100


def test_transient_errors_give_up_after_the_attempt_limit(message, sms_outbox, settings):
    settings.SMS_MAX_ATTEMPTS = 2
    for _ in range(2):
        locmem.fail_next(TransientSmsError("500"))
        outbox.deliver(message.pk)
    row = SmsMessage.objects.get()
    assert row.status == SmsStatus.FAILED
    assert row.attempts == 2


def test_a_permanent_error_fails_the_message_without_retry(message, sms_outbox):
    locmem.fail_next(PermanentSmsError("411 invalid receptor", code="411"))
    assert outbox.deliver(message.pk) is None
    assert SmsMessage.objects.get().status == SmsStatus.FAILED


def test_an_ambiguous_outcome_is_marked_for_checking_not_resent(message, sms_outbox):
    locmem.fail_next(AmbiguousSmsError("read timeout"))
    outbox.deliver(message.pk)
    assert SmsMessage.objects.get().status == SmsStatus.UNKNOWN
    assert outbox.deliver(message.pk) is None
    assert sms_outbox == []


def test_an_account_error_pauses_sending_and_keeps_the_message(message, sms_outbox):
    other = outbox.queue_sms(recipient="+989351112233", text="x", purpose=RECEIPT)
    locmem.fail_next(AccountSmsError("418 no credit", code="418"))

    outbox.deliver(message.pk)
    outbox.deliver(other.pk)

    assert SmsGatewayState.current().paused_at is not None
    assert "418" in SmsGatewayState.current().reason
    assert set(SmsMessage.objects.values_list("status", flat=True)) == {SmsStatus.QUEUED}
    assert sms_outbox == []
    assert outbox.sweep() == 0


def test_resuming_sends_what_waited(message, sms_outbox):
    locmem.fail_next(AccountSmsError("418 no credit"))
    outbox.deliver(message.pk)
    assert outbox.resume_gateway() == 1  # eager Celery in tests: enqueue delivers
    assert len(sms_outbox) == 1
    assert SmsMessage.objects.get().status == SmsStatus.SENT


def test_the_sweep_enqueues_messages_whose_task_was_lost(message, sms_outbox):
    SmsMessage.objects.update(next_attempt_at=timezone.now() - timedelta(minutes=5))
    assert outbox.sweep() == 1
    assert len(sms_outbox) == 1


def test_the_sweep_leaves_recent_and_future_messages_alone(message, sms_outbox):
    assert outbox.sweep() == 0
    SmsMessage.objects.update(next_attempt_at=timezone.now() + timedelta(minutes=5))
    assert outbox.sweep() == 0
    assert sms_outbox == []


def test_the_sweep_recovers_a_message_a_dead_worker_left_sending(message, sms_outbox):
    SmsMessage.objects.update(
        status=SmsStatus.SENDING,
        updated_at=timezone.now() - timedelta(minutes=10),
        next_attempt_at=timezone.now() - timedelta(minutes=10),
    )
    outbox.sweep()
    assert len(sms_outbox) == 1
    assert SmsMessage.objects.get().status == SmsStatus.SENT


def test_opted_out_numbers_get_no_replies_but_do_get_codes_they_ask_for(on_commit, sms_outbox):
    SmsOptOut.objects.create(mobile="+989123456789")
    on_commit(outbox.queue_sms, recipient="+989123456789", text="help", purpose=HELP)
    on_commit(outbox.queue_sms, recipient="+989123456789", text="123456", purpose=VERIFICATION)
    statuses = dict(SmsMessage.objects.values_list("purpose", "status"))
    assert statuses == {
        HELP: SmsStatus.SUPPRESSED,
        VERIFICATION: SmsStatus.SENT,
    }
    assert [m.text for m in sms_outbox] == ["123456"]


def test_delivery_reports_move_sent_messages_on(message, sms_outbox):
    outbox.deliver(message.pk)
    row = SmsMessage.objects.get()
    locmem.set_status(row.provider_message_id, "delivered")
    assert outbox.pull_reports() == 1
    row.refresh_from_db()
    assert row.status == SmsStatus.DELIVERED
    assert row.delivered_at is not None


def test_the_report_webhook_applies_pushed_reports(client, message, sms_outbox, settings):
    settings.SMS_WEBHOOK_SECRET = "s3"
    outbox.deliver(message.pk)
    row = SmsMessage.objects.get()
    response = client.post(
        "/sms/locmem/status/s3/", {"messageid": row.provider_message_id, "status": "failed"}
    )
    assert response.status_code == 200
    row.refresh_from_db()
    assert row.status == SmsStatus.FAILED


def test_the_report_webhook_refuses_a_wrong_secret(client, message, sms_outbox):
    outbox.deliver(message.pk)
    row = SmsMessage.objects.get()
    response = client.post(
        "/sms/locmem/status/nope/", {"messageid": row.provider_message_id, "status": "failed"}
    )
    assert response.status_code == 403
    assert SmsMessage.objects.get().status == SmsStatus.SENT


def test_staff_see_each_sms_texts_cost_in_parts(admin_client):
    html = admin_client.get("/admin/settings/registrations/smstexts/", follow=True).content.decode()
    # Ten texts (five purposes, two languages), each with its cost beside it.
    assert html.count("نویسه پس از جای‌گذاری") == 10
    assert "۱ پیامک" in html or "1 پیامک" in html


def test_an_sms_text_without_its_placeholder_is_refused():
    texts = SmsTexts.for_site(Site.objects.get(is_default_site=True))
    assert texts.text_for("verification", "fa").endswith("{code}")
    texts.verification_fa = "بدون کد"
    with pytest.raises(ValidationError) as excinfo:
        texts.full_clean()
    assert "verification_fa" in excinfo.value.message_dict
