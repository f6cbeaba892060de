"""The representative's mobile: a code to the new number, an SMS to the old one."""

from datetime import timedelta

from django.test import Client
from django.utils import timezone

from accounts.models import GroupAccount, Member
from persian.text import to_persian_digits
from registrations.models import Registration
from sms.models import SmsMessage

from .conftest import REPRESENTATIVE, last_code
from .test_profile import signed_in


NEW = "+989121110055"


def ask(client, mobile=NEW):
    return client.post("/account/mobile/", {"action": "request", "mobile": mobile})


def test_the_code_to_the_new_number_moves_the_group_and_tells_the_old(registration):
    client = signed_in()
    assert ask(client, to_persian_digits("09121110055")).status_code == 302
    response = client.post("/account/mobile/", {"action": "confirm", "code": last_code(NEW)})
    assert response.status_code == 302
    registration.refresh_from_db()
    assert str(registration.mobile) == NEW
    assert str(GroupAccount.objects.get().mobile) == NEW
    assert str(Member.objects.get().mobile) == NEW
    notice = SmsMessage.objects.filter(recipient=REPRESENTATIVE).order_by("-pk").first()
    assert "تغییر کرد" in notice.text and "0912***0055" in notice.text
    # The old number no longer signs in; the new one does.
    assert Client().post("/account/", {"mobile": REPRESENTATIVE}).status_code == 302
    assert SmsMessage.objects.filter(recipient=REPRESENTATIVE).count() == 2
    # (after the resend wait, which the change's code to NEW started)
    SmsMessage.objects.update(created_at=timezone.now() - timedelta(seconds=61))
    assert "_auth_user_id" in signed_in(NEW).session


def test_a_wrong_code_changes_nothing(registration):
    client = signed_in()
    ask(client)
    code = last_code(NEW)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    response = client.post("/account/mobile/", {"action": "confirm", "code": wrong})
    assert response.status_code == 400
    assert Registration.objects.get(pk=registration.pk).mobile == REPRESENTATIVE


def test_a_number_of_another_group_cannot_be_taken(campaign, registration):
    from tests.backoffice import make_registration

    make_registration(campaign, mobile=NEW)
    client = signed_in()
    response = ask(client)
    assert response.status_code == 400
    assert not SmsMessage.objects.filter(recipient=NEW).exists()


def test_a_landline_is_refused_in_persian(registration):
    response = ask(signed_in(), "۰۲۱۴۴۵۵۶۶۷۷")
    assert response.status_code == 400
    assert not SmsMessage.objects.filter(recipient__startswith="+9821").exists()
