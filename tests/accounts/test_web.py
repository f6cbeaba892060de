"""The sign-in pages as a visitor uses them: /account/ (Persian) and /en/account/."""

import re

from django.urls import reverse

from wagtail.models import ModelLogEntry

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from accounts import services
from accounts.models import Member
from persian.text import to_persian_digits
from sms.models import SmsMessage

from .conftest import REPRESENTATIVE, STRANGER, last_code


def fa(number: str) -> str:
    """The number as someone types it on a Persian keyboard: ۰۹۱۲…"""
    return to_persian_digits("0" + number.removeprefix("+98"))


def _comparable(page: str) -> str:
    page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", page)
    return re.sub(r'<bdi dir="ltr">[^<]*</bdi>', "<bdi/>", page)


def ask_code(client, mobile, prefix=""):
    return client.post(f"{prefix}/account/", {"mobile": mobile})


def sign_in(client, mobile=REPRESENTATIVE, prefix=""):
    ask_code(client, fa(mobile), prefix)
    return client.post(f"{prefix}/account/code/", {"code": to_persian_digits(last_code(mobile))})


def test_the_sign_in_page_in_persian_and_english(db, bare_site):
    page = pytest.importorskip("django.test").Client().get("/account/")
    assert page.status_code == 200
    assert "ورود به حساب گروه" in page.content.decode()
    english = pytest.importorskip("django.test").Client().get("/en/account/")
    assert "Sign in to your group's account" in english.content.decode()


def test_a_registered_and_an_unregistered_mobile_get_the_same_answer(client, registration):
    known = ask_code(client, fa(REPRESENTATIVE))
    known_page = client.get(known.url).content.decode()
    from django.test import Client

    other = Client()
    unknown = ask_code(other, fa(STRANGER))
    unknown_page = other.get(unknown.url).content.decode()
    assert known.status_code == unknown.status_code == 302
    assert known.url == unknown.url == "/account/code/"
    notice = "اگر این شماره ثبت‌نام شده باشد"
    assert notice in known_page and notice in unknown_page
    # The pages differ only in the masked number each visitor typed (and the CSRF token).
    assert _comparable(known_page) == _comparable(unknown_page)
    assert SmsMessage.objects.filter(recipient=REPRESENTATIVE).count() == 1
    assert not SmsMessage.objects.filter(recipient=STRANGER).exists()


def test_a_bad_mobile_is_refused_in_persian_and_nothing_is_sent(client, registration):
    response = ask_code(client, "۰۲۱۴۴۵۵۶۶۷۷")  # a Tehran landline
    assert response.status_code == 400
    assert "تلفن ثابت" in response.content.decode() or "موبایل" in response.content.decode()
    assert not SmsMessage.objects.exists()


def test_signing_in_with_persian_digits_shows_my_group(client, registration, settings):
    response = sign_in(client)
    assert response.status_code == 302 and response.url == "/account/"
    page = client.get("/account/").content.decode()
    assert to_persian_digits(registration.tracking_code) in page
    assert registration.campaign.title in page
    assert "تأیید" in page or registration.get_status_display() in page
    assert client.session.get_expiry_age() == settings.ACCOUNT_SESSION_AGE
    member = Member.objects.get(mobile=REPRESENTATIVE)
    assert ModelLogEntry.objects.filter(action=services.SIGN_IN, object_id=str(member.pk)).exists()


def test_the_english_pages_sign_in_too(client, registration):
    response = sign_in(client, prefix="/en")
    assert response.status_code == 302
    page = client.get("/en/account/").content.decode()
    assert "My group" in page and registration.tracking_code in page


def test_a_wrong_code_says_so_in_persian(client, registration):
    ask_code(client, fa(REPRESENTATIVE))
    code = last_code(REPRESENTATIVE)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    response = client.post("/account/code/", {"code": wrong})
    assert response.status_code == 400
    assert "درست نیست" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_stranger_typing_codes_is_never_signed_in(client, registration):
    ask_code(client, fa(STRANGER))
    for _ in range(3):
        response = client.post("/account/code/", {"code": "۱۲۳۴۵۶"})
        assert response.status_code == 400
    assert "_auth_user_id" not in client.session


def test_signing_out_is_in_the_audit_trail(client, registration):
    sign_in(client)
    response = client.post("/account/sign-out/")
    assert response.status_code == 302
    assert "ورود به حساب گروه" in client.get("/account/").content.decode()
    assert ModelLogEntry.objects.filter(action=services.SIGN_OUT).count() == 1


def test_a_member_never_reaches_the_admin(client, registration):
    sign_in(client)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response.url.startswith(reverse("wagtailadmin_login"))
    assert client.get("/admin/registrations/registration/").status_code in (302, 403)


def test_asking_for_codes_too_often_is_limited(client, registration, settings):
    settings.ACCOUNT_MOBILE_RATE = "2/h"
    for _ in range(2):
        assert ask_code(client, fa(STRANGER)).status_code == 302
    response = ask_code(client, fa(STRANGER))
    assert response.status_code == 429
    assert "دفعات" in response.content.decode() or "صبر" in response.content.decode()


def test_my_group_costs_a_fixed_number_of_queries(
    client, campaign, registration, django_assert_max_num_queries
):
    from tests.backoffice import make_registration
    from tests.factories import CampaignPageFactory

    sign_in(client)
    for _ in range(3):
        make_registration(CampaignPageFactory(), mobile=REPRESENTATIVE)
    with django_assert_max_num_queries(12):
        assert client.get("/account/").status_code == 200


@hsettings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(typed=st.text(max_size=40))
def test_whatever_is_typed_as_a_mobile_answers_without_error_or_leak(client, registration, typed):
    response = client.post("/account/", {"mobile": typed})
    assert response.status_code in (302, 400, 429)
    # Only the registered number is ever sent anything.
    assert not SmsMessage.objects.exclude(recipient=REPRESENTATIVE).exists()
