"""A visitor registers on the web form and confirms the SMS code (test client, locmem SMS)."""

import re
from datetime import timedelta

from django.utils import timezone

import pytest

from registrations.choices import Status
from registrations.models import Registration
from registrations.purposes import RECEIPT, VERIFICATION
from sms.models import SmsMessage
from tests.factories import CampaignPageFactory, registration_form_data


pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("quick_forms")]

REGISTER_URL = "/nehzat/register/"


@pytest.fixture
def campaign(demo):
    return demo


def post_form(client, on_commit, url=REGISTER_URL, **overrides):
    return on_commit(client.post, url, registration_form_data(**overrides))


def code_from(sms_text: str) -> str:
    return re.search(r"\d{6}", sms_text).group(0)


def test_the_registration_page_is_persian_and_lists_the_fields(client, campaign):
    response = client.get(REGISTER_URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="fa" dir="rtl">' in html
    assert "نام نماینده" in html or "نام و نام خانوادگی نماینده" in html
    assert 'name="mobile"' in html and 'type="tel"' in html
    assert html.count('name="province"') == 1
    assert "تهران" in html and "سیستان و بلوچستان" in html


def test_the_campaign_page_links_to_the_registration_form(client, campaign):
    html = client.get("/nehzat/").content.decode()
    assert f'href="{REGISTER_URL}"' in html
    assert "به صفحه ثبت نام مراجعه" in html


def test_a_valid_form_saves_the_registration_and_sends_one_code(
    client, on_commit, campaign, sms_outbox
):
    response = post_form(client, on_commit)

    registration = Registration.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/nehzat/register/{registration.public_id}/confirm/"
    assert registration.status == Status.AWAITING_CONFIRMATION
    assert str(registration.mobile) == "+989123456789"
    assert registration.national_id == "10380284790"
    assert registration.national_code == "0499370899"
    assert registration.years_active == 10 and registration.member_count == 45
    assert registration.fields_of_activity == ["social_harm", "education"]
    assert registration.campaign_id == campaign.pk
    assert registration.source == "web" and registration.language == "fa"
    assert [m.to for m in sms_outbox] == ["+989123456789"]
    assert re.search(r"\d{6}", sms_outbox[0].text)


def test_the_right_code_confirms_and_sends_the_tracking_code(
    client, on_commit, campaign, sms_outbox
):
    post_form(client, on_commit)
    registration = Registration.objects.get()
    code = code_from(sms_outbox[0].text)

    response = on_commit(
        client.post, f"/nehzat/register/{registration.public_id}/confirm/", {"code": code}
    )

    registration.refresh_from_db()
    assert response.status_code == 302
    assert registration.status == Status.CONFIRMED
    assert len(sms_outbox) == 2
    assert registration.tracking_code in sms_outbox[1].text
    done = client.get(response["Location"]).content.decode()
    persian_code = registration.tracking_code.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    assert persian_code in done


def test_a_code_typed_in_persian_digits_is_accepted(client, on_commit, campaign, sms_outbox):
    post_form(client, on_commit)
    registration = Registration.objects.get()
    code = code_from(sms_outbox[0].text).translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    on_commit(client.post, f"/nehzat/register/{registration.public_id}/confirm/", {"code": code})
    registration.refresh_from_db()
    assert registration.status == Status.CONFIRMED


def test_a_wrong_code_is_refused_with_a_persian_message(client, on_commit, campaign, sms_outbox):
    post_form(client, on_commit)
    registration = Registration.objects.get()
    wrong = "000000" if code_from(sms_outbox[0].text) != "000000" else "111111"
    response = client.post(f"/nehzat/register/{registration.public_id}/confirm/", {"code": wrong})
    assert response.status_code == 400
    assert "کد درست نیست" in response.content.decode()
    registration.refresh_from_db()
    assert registration.status == Status.AWAITING_CONFIRMATION
    assert registration.code_attempts == 1


def test_five_wrong_codes_use_up_the_code(client, on_commit, campaign, sms_outbox):
    post_form(client, on_commit)
    registration = Registration.objects.get()
    right = code_from(sms_outbox[0].text)
    wrong = "000000" if right != "000000" else "111111"
    url = f"/nehzat/register/{registration.public_id}/confirm/"
    for _ in range(5):
        client.post(url, {"code": wrong})
    response = client.post(url, {"code": right})
    assert "منقضی" in response.content.decode()
    registration.refresh_from_db()
    assert registration.status == Status.AWAITING_CONFIRMATION


def test_an_expired_code_is_refused(client, on_commit, campaign, sms_outbox):
    post_form(client, on_commit)
    registration = Registration.objects.get()
    Registration.objects.filter(pk=registration.pk).update(
        code_expires_at=timezone.now() - timedelta(seconds=1)
    )
    response = client.post(
        f"/nehzat/register/{registration.public_id}/confirm/",
        {"code": code_from(sms_outbox[0].text)},
    )
    assert "منقضی" in response.content.decode()


def test_a_new_code_waits_sixty_seconds(client, on_commit, campaign, sms_outbox):
    post_form(client, on_commit)
    registration = Registration.objects.get()
    response = on_commit(
        client.post, f"/nehzat/register/{registration.public_id}/resend/", follow=True
    )
    assert "ثانیه" in response.content.decode()
    assert len(sms_outbox) == 1


def test_a_new_code_after_the_cooldown_replaces_the_old_one(
    client, on_commit, campaign, sms_outbox
):
    post_form(client, on_commit)
    registration = Registration.objects.get()
    first = code_from(sms_outbox[0].text)
    SmsMessage.objects.update(created_at=timezone.now() - timedelta(seconds=61))
    on_commit(client.post, f"/nehzat/register/{registration.public_id}/resend/")
    assert len(sms_outbox) == 2
    second = code_from(sms_outbox[1].text)
    url = f"/nehzat/register/{registration.public_id}/confirm/"
    if first != second:
        client.post(url, {"code": first})
        registration.refresh_from_db()
        assert registration.status == Status.AWAITING_CONFIRMATION
    on_commit(client.post, url, {"code": second})
    registration.refresh_from_db()
    assert registration.status == Status.CONFIRMED


def test_codes_per_mobile_are_capped_per_day(client, on_commit, campaign, sms_outbox, settings):
    settings.REGISTRATION_DAILY_CODE_CAP = 2
    post_form(client, on_commit)
    registration = Registration.objects.get()
    SmsMessage.objects.update(created_at=timezone.now() - timedelta(minutes=5))
    on_commit(client.post, f"/nehzat/register/{registration.public_id}/resend/")
    SmsMessage.objects.update(created_at=timezone.now() - timedelta(minutes=5))
    response = on_commit(
        client.post, f"/nehzat/register/{registration.public_id}/resend/", follow=True
    )
    assert len(sms_outbox) == 2
    assert "فردا" in response.content.decode()


# --- bad input: a Persian error, nothing saved, no SMS ------------------------------


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"mobile": "۰۲۱۸۸۷۷۶۶۵۵"}, "mobile", "تلفن ثابت"),
        ({"mobile": "+44 7911 123456"}, "mobile", "فقط شماره‌های همراه ایران"),
        ({"mobile": "۰۹۱۲۳۴"}, "mobile", "شماره همراهی مانند"),
        ({"national_code": "۰۴۹۹۳۷۰۸۹۸"}, "national_code", "کد ملی معتبر نیست"),
        ({"national_id": "10100360731"}, "national_id", "شناسه ملی معتبر نیست"),
        ({"consent": None}, "consent", "رضایت"),
        ({"province": "atlantis"}, "province", "معتبر"),
        ({"fields_of_activity": []}, "fields_of_activity", "لازم"),
        ({"organisation_name": ""}, "organisation_name", "نام گروه یا سازمان را بنویسید"),
        ({"years_active": "بیست"}, "years_active", "عدد"),
        ({"email": "not-an-email"}, "email", "پست الکترونیکی"),
    ],
)
def test_bad_input_gets_a_persian_error_beside_the_field_and_saves_nothing(
    client, on_commit, campaign, sms_outbox, overrides, field, message
):
    response = post_form(client, on_commit, **overrides)
    html = response.content.decode()
    assert response.status_code == 400
    errors = re.search(
        rf'<div class="field__error" id="id_{field}-errors"[^>]*>(.*?)</div>', html, re.S
    )
    assert errors is not None, f"no error shown beside {field}"
    assert message in errors.group(1)
    assert f'aria-describedby="id_{field}-errors' in html
    assert not Registration.objects.exists()
    assert not SmsMessage.objects.exists()
    assert sms_outbox == []


def test_the_visitors_input_is_kept_when_the_form_comes_back(client, on_commit, campaign):
    html = post_form(client, on_commit, national_code="۱۲۳").content.decode()
    assert 'value="انجمن یاوران محله"' in html
    assert 'value="مریم احمدی"' in html
    assert 'value="social_harm" checked' in html or re.search(
        r'value="social_harm"[^>]*checked', html
    )


def test_a_facilitator_needs_no_organisation_name(client, on_commit, campaign):
    response = post_form(
        client, on_commit, kind="facilitator", organisation_name="", national_id=""
    )
    assert response.status_code == 302
    assert Registration.objects.get().kind == "facilitator"


def test_a_second_registration_for_the_same_mobile_is_refused_and_nothing_is_overwritten(
    client, on_commit, campaign, sms_outbox
):
    post_form(client, on_commit)
    response = post_form(client, on_commit, organisation_name="گروه دیگر")
    # On to the code page under a new handle: the owner's public_id is never shown (issue 12).
    assert response.status_code == 302
    html = client.get(response["Location"]).content.decode()
    assert "قبلاً برای این طرح ثبت شده" in html
    registration = Registration.objects.get()
    assert registration.organisation_name == "انجمن یاوران محله"
    assert str(registration.public_id) not in response["Location"] + html
    assert len(sms_outbox) == 1  # the code sent a moment ago is still the one to type


def test_the_same_mobile_may_register_for_another_campaign(client, on_commit, campaign):
    CampaignPageFactory(slug="another")
    post_form(client, on_commit)
    response = post_form(client, on_commit, url="/another/register/")
    assert response.status_code == 302
    assert Registration.objects.count() == 2


def test_the_english_form_registers_to_the_same_campaign(client, on_commit, campaign, sms_outbox):
    response = post_form(client, on_commit, url="/en/nehzat/register/")
    registration = Registration.objects.get()
    assert response["Location"] == f"/en/nehzat/register/{registration.public_id}/confirm/"
    assert registration.campaign_id == campaign.pk
    assert registration.language == "en"
    assert sms_outbox[0].text.startswith("Your Social Participation Movement code")


def test_the_english_form_forbids_a_duplicate_made_in_persian(client, on_commit, campaign):
    post_form(client, on_commit)
    response = post_form(client, on_commit, url="/en/nehzat/register/")
    assert response.status_code == 302
    assert "already registered" in client.get(response["Location"]).content.decode()


def test_the_honeypot_refuses_bots(client, on_commit, campaign, sms_outbox):
    response = post_form(client, on_commit, website="http://spam.example")
    assert response.status_code == 400
    assert not Registration.objects.exists()
    assert sms_outbox == []


def test_a_form_sent_faster_than_a_person_can_type_is_refused(
    client, on_commit, campaign, settings
):
    settings.REGISTRATION_MIN_FILL_SECONDS = 60
    response = post_form(client, on_commit)
    assert response.status_code == 400
    assert "چند لحظه صبر کنید" in response.content.decode()
    assert not Registration.objects.exists()


def test_a_form_without_its_start_time_gets_a_fresh_one(client, on_commit, campaign):
    response = post_form(client, on_commit, started="forged")
    assert response.status_code == 400
    assert not Registration.objects.exists()
    assert 'name="started" value="forged"' not in response.content.decode()


def test_an_oversized_body_is_refused_before_it_is_read(client, campaign, settings):
    settings.REGISTRATION_MAX_BODY_BYTES = 1000
    response = client.post(REGISTER_URL, registration_form_data(experience="x" * 5000))
    assert response.status_code == 413
    assert "بیشتر از" in response.content.decode() or "بزرگ" in response.content.decode()
    assert not Registration.objects.exists()


def test_too_many_posts_from_one_address_are_limited(client, on_commit, campaign, settings):
    settings.REGISTRATION_IP_RATE = "2/h"  # not /m: a minute can turn between posts
    for _ in range(2):
        post_form(client, on_commit, consent=None)
    response = post_form(client, on_commit)
    assert response.status_code == 429
    assert not Registration.objects.exists()


def test_csrf_is_enforced(campaign):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(REGISTER_URL, registration_form_data())
    assert response.status_code == 403
    assert not Registration.objects.exists()


def test_a_closed_campaign_has_no_form(client, campaign):
    campaign.registration_open = False
    campaign.save_revision().publish()
    assert client.get(REGISTER_URL).status_code == 404


# --- extra questions editors add ------------------------------------------------------


@pytest.fixture
def campaign_with_question(campaign):
    from campaigns.models import CampaignFormField

    field = CampaignFormField.objects.create(
        page=campaign, label="چند داوطلب فعال دارید؟", field_type="number", required=True
    )
    return campaign, field


def test_an_extra_question_is_asked_and_its_answer_stored(
    client, on_commit, campaign_with_question
):
    _campaign, field = campaign_with_question
    assert field.clean_name.startswith("q_")
    html = client.get(REGISTER_URL).content.decode()
    assert "چند داوطلب فعال دارید؟" in html
    post_form(client, on_commit, **{field.clean_name: "12"})
    assert Registration.objects.get().extra_answers == {field.clean_name: "12"}


def test_an_extra_question_is_validated_like_the_fixed_fields(
    client, on_commit, campaign_with_question
):
    _campaign, field = campaign_with_question
    response = post_form(client, on_commit)
    assert response.status_code == 400
    assert f'id="id_{field.clean_name}-errors"' in response.content.decode()
    assert not Registration.objects.exists()


# --- status lookup -------------------------------------------------------------------


@pytest.fixture
def confirmed(client, on_commit, campaign, sms_outbox):
    post_form(client, on_commit)
    registration = Registration.objects.get()
    on_commit(
        client.post,
        f"/nehzat/register/{registration.public_id}/confirm/",
        {"code": code_from(sms_outbox[0].text)},
    )
    registration.refresh_from_db()
    return registration


def test_status_lookup_shows_the_status_for_the_right_code_and_mobile(client, confirmed):
    code = confirmed.tracking_code.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    response = client.post("/nehzat/status/", {"tracking_code": code, "mobile": "0912 345 6789"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "تأییدشده" in html or "تأیید شده" in html
    assert "انجمن یاوران محله" not in html


def test_status_lookup_with_another_mobile_reveals_nothing(client, confirmed):
    response = client.post(
        "/nehzat/status/", {"tracking_code": confirmed.tracking_code, "mobile": "09350000000"}
    )
    html = response.content.decode()
    assert response.status_code == 404
    assert "هیچ ثبت‌نامی" in html
    assert confirmed.get_status_display() not in html.split("<form")[0].split("</h1>")[1]


def test_verification_sms_are_counted_by_purpose(confirmed):
    purposes = list(SmsMessage.objects.order_by("created_at").values_list("purpose", flat=True))
    assert purposes == [VERIFICATION, RECEIPT]


def test_a_malformed_campaign_address_is_a_404_not_an_error(client):
    assert client.get("/nehzat%00x/register/").status_code == 404
    assert client.get("/" + "x" * 300 + "/register/").status_code == 404


def test_a_request_without_the_proxys_client_address_header_is_still_served(
    client, on_commit, campaign, settings
):
    settings.CLIENT_IP_META_KEY = "HTTP_X_REAL_IP"  # and the request has no X-Real-IP
    response = post_form(client, on_commit)
    assert response.status_code == 302


def test_the_per_mobile_limit_counts_a_number_in_any_digit_script(
    client, on_commit, campaign, settings
):
    settings.REGISTRATION_MOBILE_RATE = "2/h"  # not /m: a minute can turn between posts
    post_form(client, on_commit, mobile="09123456789", consent=None)
    post_form(client, on_commit, mobile="۰۹۱۲۳۴۵۶۷۸۹", consent=None)
    response = post_form(client, on_commit, mobile="٠٩١٢٣٤٥٦٧٨٩")
    assert response.status_code == 429
    assert not Registration.objects.exists()
