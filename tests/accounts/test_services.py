"""The sign-in rules, called as the views and the API call them."""

from datetime import timedelta

from django.utils import timezone

import pytest
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from accounts import services
from accounts.models import Member, SignInCode
from registrations.choices import Status
from sms.models import SmsMessage
from tests.backoffice import make_registration

from .conftest import REPRESENTATIVE, STRANGER, last_code


def test_a_registered_mobile_is_sent_a_sign_in_code(registration):
    services.send_code(mobile=REPRESENTATIVE, language="fa")
    message = SmsMessage.objects.get(recipient=REPRESENTATIVE)
    assert "کد ورود" in message.text
    assert len(last_code(REPRESENTATIVE)) == 6


def test_an_unregistered_mobile_gets_no_sms_and_no_code(registration):
    assert services.send_code(mobile=STRANGER, language="fa") is None
    assert not SmsMessage.objects.filter(recipient=STRANGER).exists()
    assert not SignInCode.objects.filter(mobile=STRANGER).exists()


@pytest.mark.parametrize("status", [Status.DRAFT, Status.AWAITING_CONFIRMATION])
def test_an_unfinished_registration_cannot_sign_in(campaign, status):
    make_registration(campaign, mobile=REPRESENTATIVE, status=status, consent=False)
    assert services.send_code(mobile=REPRESENTATIVE, language="fa") is None
    assert not SmsMessage.objects.exists()


def test_the_right_code_makes_a_member_without_admin_access(registration):
    services.send_code(mobile=REPRESENTATIVE, language="fa")
    member = services.verify_code(mobile=REPRESENTATIVE, code=last_code(REPRESENTATIVE))
    assert member.mobile == REPRESENTATIVE
    assert member.role == Member.Role.REPRESENTATIVE
    user = member.user
    assert not user.is_staff and not user.is_superuser and not user.has_usable_password()
    assert not user.has_perm("wagtailadmin.access_admin")


def test_a_code_is_used_once(registration):
    services.send_code(mobile=REPRESENTATIVE, language="fa")
    code = last_code(REPRESENTATIVE)
    services.verify_code(mobile=REPRESENTATIVE, code=code)
    with pytest.raises(services.CodeRejected):
        services.verify_code(mobile=REPRESENTATIVE, code=code)


def test_a_code_for_one_mobile_never_signs_in_another(campaign, registration):
    other = "+989121110002"
    make_registration(campaign, mobile=other)
    services.send_code(mobile=REPRESENTATIVE, language="fa")
    with pytest.raises(services.CodeRejected):
        services.verify_code(mobile=other, code=last_code(REPRESENTATIVE))
    # Nor for a stranger who has no code at all.
    with pytest.raises(services.CodeRejected):
        services.verify_code(mobile=STRANGER, code=last_code(REPRESENTATIVE))


def test_an_expired_code_is_refused(registration):
    services.send_code(mobile=REPRESENTATIVE, language="fa")
    SignInCode.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    with pytest.raises(services.CodeRejected):
        services.verify_code(mobile=REPRESENTATIVE, code=last_code(REPRESENTATIVE))


def test_a_newer_code_voids_the_older_one(registration):
    services.send_code(mobile=REPRESENTATIVE, language="fa")
    first = last_code(REPRESENTATIVE)
    SmsMessage.objects.update(created_at=timezone.now() - timedelta(seconds=61))
    services.send_code(mobile=REPRESENTATIVE, language="fa")
    second = last_code(REPRESENTATIVE)
    if first != second:
        with pytest.raises(services.CodeRejected):
            services.verify_code(mobile=REPRESENTATIVE, code=first)
    assert services.verify_code(mobile=REPRESENTATIVE, code=second).mobile == REPRESENTATIVE


def test_resend_waits_a_minute_and_the_daily_cap_holds(registration, settings):
    services.send_code(mobile=REPRESENTATIVE, language="fa")
    assert services.send_code(mobile=REPRESENTATIVE, language="fa") is None  # within 60 s
    for _ in range(settings.REGISTRATION_DAILY_CODE_CAP - 1):
        SmsMessage.objects.update(created_at=timezone.now() - timedelta(seconds=61))
        assert services.send_code(mobile=REPRESENTATIVE, language="fa") is not None
    SmsMessage.objects.update(created_at=timezone.now() - timedelta(seconds=61))
    assert services.send_code(mobile=REPRESENTATIVE, language="fa") is None
    assert SmsMessage.objects.count() == settings.REGISTRATION_DAILY_CODE_CAP


def _wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


def test_five_wrong_codes_lock_the_number_even_with_the_right_code(registration):
    services.send_code(mobile=REPRESENTATIVE, language="fa")
    code = last_code(REPRESENTATIVE)
    for _ in range(4):
        with pytest.raises(services.CodeRejected):
            services.verify_code(mobile=REPRESENTATIVE, code=_wrong(code))
    with pytest.raises(services.LockedOut):
        services.verify_code(mobile=REPRESENTATIVE, code=_wrong(code))
    with pytest.raises(services.LockedOut):
        services.verify_code(mobile=REPRESENTATIVE, code=code)


def test_an_unregistered_number_is_locked_out_the_same_way(registration):
    answers = []
    for _ in range(6):
        try:
            services.verify_code(mobile=STRANGER, code="123456")
        except services.SignInError as error:
            answers.append(type(error))
    assert answers == [services.CodeRejected] * 4 + [services.LockedOut] * 2


@hsettings(max_examples=40, deadline=None)
@given(code=st.text(alphabet="0123456789", min_size=6, max_size=6))
def test_no_guessed_code_signs_in_a_number_that_was_sent_none(code):
    # No row for the number: whatever six digits are tried, nobody is signed in.
    with pytest.raises(services.SignInError):
        services.verify_code(mobile="+989121119876", code=code)


test_no_guessed_code_signs_in_a_number_that_was_sent_none = pytest.mark.django_db(
    test_no_guessed_code_signs_in_a_number_that_was_sent_none
)
