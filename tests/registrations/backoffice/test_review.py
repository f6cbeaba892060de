# ruff: noqa: F403, F405 - the back-office fixtures come from tests.backoffice
"""Staff open a registration, review it, resend its SMS or delete it; each step is audited."""

from wagtail.models import ModelLogEntry

import pytest

from campaigns.models import CampaignFormField
from registrations.backoffice import review
from registrations.models import Registration, registration_of
from sms.models import SmsGatewayState
from tests.backoffice import *
from tests.factories import sms_for


pytestmark = pytest.mark.django_db


def inspect_url(registration):
    return f"/admin/registrations/inspect/{registration.pk}/"


def log_entries(registration, action):
    return ModelLogEntry.objects.filter(object_id=str(registration.pk), action=action)


def test_inspect_shows_every_answer_full_national_code_and_sms_history(manager_client, demo):
    question = CampaignFormField.objects.create(
        page=demo, label="چند داوطلب دارید؟", field_type="singleline", required=False
    )
    registration = make_registration(
        demo, national_code="0499370899", extra_answers={question.clean_name: "بیست نفر"}
    )
    sms_for(registration, text="کد", purpose="receipt")

    html = manager_client.get(inspect_url(registration)).content.decode()

    assert "۰۴۹۹۳۷۰۸۹۹" in html
    assert "چند داوطلب دارید؟" in html and "بیست نفر" in html
    assert "data-sms-history" in html
    assert "رسید" in html or "Receipt" in html or "کد پیگیری" in html


def test_approve_from_the_inspect_view(manager, manager_client, demo):
    registration = make_registration(demo, status="confirmed")

    response = manager_client.post(f"/admin/registrations/approve/{registration.pk}/")

    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.status == "approved"
    assert registration.reviewed_by == manager
    entry = log_entries(registration, review.APPROVE).get()
    assert entry.user == manager


def test_approving_a_registration_awaiting_its_code_is_refused(manager_client, demo):
    registration = make_registration(demo, status="awaiting_confirmation", confirmed_at=None)

    response = manager_client.post(f"/admin/registrations/approve/{registration.pk}/", follow=True)

    assert response.status_code == 200
    registration.refresh_from_db()
    assert registration.status == "awaiting_confirmation"
    assert not log_entries(registration, review.APPROVE).exists()


def test_reject_keeps_the_reason_and_logs_it(manager, manager_client, demo):
    registration = make_registration(demo)

    manager_client.post(
        f"/admin/registrations/reject/{registration.pk}/", {"reason": "شناسه ملی نادرست است"}
    )

    registration.refresh_from_db()
    assert registration.status == "rejected"
    assert registration.rejection_reason == "شناسه ملی نادرست است"
    assert log_entries(registration, review.REJECT).get().data["reason"] == "شناسه ملی نادرست است"


@pytest.mark.parametrize("reason", ["", "   ", "x" * 1001])
def test_reject_without_a_proper_reason_changes_nothing(manager_client, demo, reason):
    registration = make_registration(demo)

    response = manager_client.post(
        f"/admin/registrations/reject/{registration.pk}/", {"reason": reason}, follow=True
    )

    assert response.status_code == 200
    registration.refresh_from_db()
    assert registration.status == "confirmed"
    assert not log_entries(registration, review.REJECT).exists()


def test_resend_to_a_confirmed_registration_sends_the_receipt(
    manager, manager_client, demo, sms_outbox, django_capture_on_commit_callbacks
):
    registration = make_registration(demo)

    with django_capture_on_commit_callbacks(execute=True):
        manager_client.post(f"/admin/registrations/resend/{registration.pk}/")

    assert len(sms_outbox) == 1
    assert registration.tracking_code in sms_outbox[0].text
    assert log_entries(registration, review.RESEND).get().user == manager


def test_resend_to_a_registration_awaiting_its_code_sends_a_new_code(manager, demo, sms_outbox):
    registration = make_registration(demo, status="awaiting_confirmation", confirmed_at=None)

    message = review.resend_confirmation(registration, user=manager)

    assert message.purpose == "verification"
    assert log_entries(registration, review.RESEND).exists()


def test_resend_respects_the_cooldown(manager, demo):
    registration = make_registration(demo, status="awaiting_confirmation", confirmed_at=None)
    review.resend_confirmation(registration, user=manager)

    with pytest.raises(review.ReviewError):
        review.resend_confirmation(registration, user=manager)
    assert log_entries(registration, review.RESEND).count() == 1


def test_delete_is_logged_and_keeps_the_sms_rows(manager, manager_client, demo):
    registration = make_registration(demo)
    pk = registration.pk
    sms = sms_for(registration, text="x", purpose="receipt")

    response = manager_client.post(f"/admin/registrations/delete/{pk}/")

    assert response.status_code == 302
    assert not Registration.objects.filter(pk=pk).exists()
    sms.refresh_from_db()
    assert registration_of(sms) is None
    entry = ModelLogEntry.objects.get(object_id=str(pk), action="wagtail.delete")
    assert entry.user == manager and entry.data["tracking_code"] == registration.tracking_code


def test_bulk_approve_approves_what_it_can_and_reports_the_rest(manager, manager_client, demo):
    first = make_registration(demo)
    second = make_registration(demo)
    waiting = make_registration(demo, status="awaiting_confirmation", confirmed_at=None)
    url = "/admin/bulk/registrations/registration/approve/"
    query = f"?id={first.pk}&id={second.pk}&id={waiting.pk}&next=/admin/registrations/"

    assert manager_client.get(url + query).status_code == 200
    response = manager_client.post(url + query)

    assert response.status_code == 302
    assert set(Registration.objects.filter(status="approved").values_list("pk", flat=True)) == {
        first.pk,
        second.pk,
    }
    assert ModelLogEntry.objects.filter(action=review.APPROVE).count() == 2


def test_bulk_reject_needs_a_reason(manager_client, demo):
    registration = make_registration(demo)
    url = f"/admin/bulk/registrations/registration/reject/?id={registration.pk}"

    response = manager_client.post(url, {"reason": ""})

    assert response.status_code == 200  # the form again, with its error
    registration.refresh_from_db()
    assert registration.status == "confirmed"

    manager_client.post(url, {"reason": "تکراری"})
    registration.refresh_from_db()
    assert registration.status == "rejected" and registration.rejection_reason == "تکراری"


def test_bulk_delete_and_bulk_resend(manager_client, demo, sms_outbox):
    keep = make_registration(demo)
    gone = make_registration(demo)

    manager_client.post(f"/admin/bulk/registrations/registration/resend/?id={keep.pk}")
    manager_client.post(f"/admin/bulk/registrations/registration/delete/?id={gone.pk}")

    assert list(Registration.objects.values_list("pk", flat=True)) == [keep.pk]
    assert ModelLogEntry.objects.filter(action=review.RESEND, object_id=str(keep.pk)).exists()
    assert ModelLogEntry.objects.filter(action="wagtail.delete", object_id=str(gone.pk)).exists()


def test_bulk_actions_ignore_select_all_and_bad_ids(manager_client, demo):
    registration = make_registration(demo)

    response = manager_client.post(
        "/admin/bulk/registrations/registration/approve/?id=all&id=abc&id=%27"
    )

    assert response.status_code in (302, 200)
    registration.refresh_from_db()
    assert registration.status == "confirmed"


def test_paused_gateway_is_shown_and_managers_resume_it(manager, manager_client, demo):
    SmsGatewayState.objects.update_or_create(
        pk=1, defaults={"paused_at": tehran(2025, 3, 20), "reason": "kavenegar: credit"}
    )

    html = manager_client.get("/admin/registrations/dashboard/").content.decode()
    assert "data-sms-paused" in html
    assert "data-sms-paused" in manager_client.get("/admin/").content.decode()

    response = manager_client.post("/admin/registrations/sms/resume/")

    assert response.status_code == 302
    assert SmsGatewayState.objects.get(pk=1).paused_at is None
    entry = ModelLogEntry.objects.get(action=review.RESUME_SMS)
    assert entry.user == manager and entry.data["reason"] == "kavenegar: credit"


def test_review_actions_show_in_the_registration_history(manager, manager_client, demo):
    registration = make_registration(demo)
    review.reject(registration, user=manager, reason="ناقص")
    review.approve(registration, user=manager)

    html = manager_client.get(f"/admin/registrations/history/{registration.pk}/").content.decode()

    assert "ناقص" in html
