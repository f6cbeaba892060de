# ruff: noqa: F403, F405 - the back-office fixtures come from tests.backoffice
"""Abuse of what works: repeated keyword texts, replayed form tokens, formulas in exports."""

import csv
import io
import time
from datetime import timedelta

from django.core import signing
from django.utils import timezone

import openpyxl
import pytest

from campaigns.models import CampaignFormField
from registrations.forms import FORM_STARTED_SALT, form_started_token
from registrations.models import Registration
from registrations.purposes import RECEIPT
from sms.models import SmsMessage
from tests.backoffice import *
from tests.factories import registration_form_data


pytestmark = pytest.mark.django_db

WEBHOOK = "/sms/kavenegar/inbound/test-webhook-secret/"


# --- the keyword texted again by a confirmed number ---------------------------------------


def test_a_confirmed_number_texting_the_keyword_ten_times_gets_one_receipt(
    client, on_commit, demo, settings, sms_outbox
):
    settings.SMS_WEBHOOK_SECRET = "test-webhook-secret"
    make_registration(demo, mobile="+989123456789")
    for n in range(10):
        response = on_commit(
            client.post,
            WEBHOOK,
            {"from": "09123456789", "to": "30001152", "message": "9", "messageid": str(n)},
        )
        assert response.status_code == 200
    receipts = SmsMessage.objects.filter(purpose=RECEIPT)
    assert receipts.count() == 1
    assert len(sms_outbox) == 1


def test_the_receipt_is_sent_again_after_the_reply_window(
    client, on_commit, demo, settings, sms_outbox
):
    settings.SMS_WEBHOOK_SECRET = "test-webhook-secret"
    make_registration(demo, mobile="+989123456789")
    text = {"from": "09123456789", "to": "30001152", "message": "9"}
    on_commit(client.post, WEBHOOK, {**text, "messageid": "1"})
    SmsMessage.objects.update(
        created_at=timezone.now() - timedelta(seconds=settings.SMS_KEYWORD_REPLY_WINDOW + 1)
    )
    on_commit(client.post, WEBHOOK, {**text, "messageid": "2"})
    assert SmsMessage.objects.filter(purpose=RECEIPT).count() == 2


# --- the form's start token ------------------------------------------------------------------


@pytest.fixture
def quick(settings, demo):
    settings.REGISTRATION_MIN_FILL_SECONDS = 0


def test_one_start_token_carries_one_submission(client, on_commit, quick, sms_outbox):
    token = form_started_token()
    first = on_commit(client.post, "/nehzat/register/", registration_form_data(started=token))
    replayed = [
        on_commit(
            client.post,
            "/nehzat/register/",
            registration_form_data(started=token, mobile=f"0912345{n:04d}"),
        )
        for n in range(3)
    ]
    assert first.status_code == 302
    assert [r.status_code for r in replayed] == [400, 400, 400]
    assert "لطفاً" in replayed[0].content.decode()
    assert Registration.objects.count() == 1
    assert len(sms_outbox) == 1


def test_a_refused_token_is_replaced_so_a_person_can_send_again(client, on_commit, quick):
    token = form_started_token()
    on_commit(client.post, "/nehzat/register/", registration_form_data(started=token))
    replayed = on_commit(
        client.post,
        "/nehzat/register/",
        registration_form_data(started=token, mobile="09123450000"),
    )
    fresh = replayed.context["form"].data["started"]
    assert fresh != token
    again = on_commit(
        client.post,
        "/nehzat/register/",
        registration_form_data(started=fresh, mobile="09123450000"),
    )
    assert again.status_code == 302


def test_a_form_with_an_error_keeps_its_token_for_the_corrected_submission(
    client, on_commit, quick
):
    token = form_started_token()
    wrong = on_commit(
        client.post, "/nehzat/register/", registration_form_data(started=token, city="")
    )
    right = on_commit(client.post, "/nehzat/register/", registration_form_data(started=token))
    assert wrong.status_code == 400 and right.status_code == 302


def test_a_start_token_older_than_its_life_is_refused(client, on_commit, quick, settings):
    shown = int(time.time()) - settings.REGISTRATION_FORM_MAX_AGE - 1
    old = signing.Signer(salt=FORM_STARTED_SALT).sign(f"{shown}:x")
    response = on_commit(client.post, "/nehzat/register/", registration_form_data(started=old))
    assert response.status_code == 400
    assert not Registration.objects.exists()
    assert settings.REGISTRATION_FORM_MAX_AGE <= 3 * 3600


# --- formulas in exports -------------------------------------------------------------------

INDEX = "/admin/registrations/"
HOSTILE_LABEL = '=HYPERLINK("http://x","click")'


@pytest.fixture
def hostile_question(demo):
    question = CampaignFormField.objects.create(
        page=demo, label=HOSTILE_LABEL, field_type="singleline", required=False
    )
    make_registration(demo, extra_answers={question.clean_name: "ok"})
    return question


def test_the_csv_header_row_is_neutralised_too(manager_client, hostile_question):
    body = b"".join(manager_client.get(INDEX, {"export": "csv"}).streaming_content)
    headings = next(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert "'" + HOSTILE_LABEL in headings
    assert HOSTILE_LABEL not in headings


def test_the_xlsx_header_row_is_neutralised_too(manager_client, hostile_question):
    body = b"".join(manager_client.get(INDEX, {"export": "xlsx"}).streaming_content)
    sheet = openpyxl.load_workbook(io.BytesIO(body)).worksheets[0]
    headings = [cell.value for cell in next(sheet.iter_rows(max_row=1))]
    assert "'" + HOSTILE_LABEL in headings


def test_a_registration_is_labelled_by_its_tracking_code_first(demo):
    registration = make_registration(demo, organisation_name="=cmd|' /C calc'!A0")
    assert str(registration).startswith(registration.tracking_code)


def test_the_site_history_export_cannot_carry_a_formula_from_a_name(manager_client, demo, manager):
    from registrations.backoffice import review

    for name in ("=1+1", "+1", "-1", "@SUM(1)"):
        review.approve(make_registration(demo, organisation_name=name), user=manager)
    body = b"".join(
        manager_client.get("/admin/reports/site-history/", {"export": "csv"}).streaming_content
    )
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert len(rows) > 4
    assert not [cell for row in rows[1:] for cell in row if cell[:1] in ("=", "+", "-", "@")]
