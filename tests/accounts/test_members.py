"""Co-members: added by the representative, each confirmed by a code to their own mobile."""

from django.test import Client

from accounts.models import Member
from persian.text import to_persian_digits
from sms.models import SmsMessage

from .conftest import last_code
from .test_profile import signed_in


CO_MEMBER = "+989121110077"


def add(client, mobile=CO_MEMBER, name="رضا کریمی"):
    return client.post("/account/members/", {"action": "add", "name": name, "mobile": mobile})


def confirm(client, response, code):
    invite = response.url.split("invite=")[1]
    return client.post("/account/members/", {"action": "confirm", "invite": invite, "code": code})


def test_a_co_member_confirmed_by_code_can_sign_in(registration):
    client = signed_in()
    response = add(client, mobile=to_persian_digits("09121110077"))
    assert response.status_code == 302
    assert SmsMessage.objects.filter(recipient=CO_MEMBER).count() == 1
    assert confirm(client, response, last_code(CO_MEMBER)).status_code == 302
    member = Member.objects.get(mobile=CO_MEMBER)
    assert member.role == Member.Role.CO_MEMBER and member.name == "رضا کریمی"
    # The co-member signs in with their own number and sees the group's registration.
    SmsMessage.objects.filter(recipient=CO_MEMBER).delete()
    co_client = signed_in(CO_MEMBER)
    page = co_client.get("/account/").content.decode()
    assert to_persian_digits(registration.tracking_code) in page


def test_a_wrong_code_adds_no_one(registration):
    client = signed_in()
    response = add(client)
    code = last_code(CO_MEMBER)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    assert confirm(client, response, wrong).status_code == 400
    assert not Member.objects.filter(mobile=CO_MEMBER).exists()


def test_the_representative_removes_a_co_member_and_their_session_ends(registration):
    client = signed_in()
    confirm(client, add(client), last_code(CO_MEMBER))
    SmsMessage.objects.filter(recipient=CO_MEMBER).delete()
    co_client = signed_in(CO_MEMBER)
    member = Member.objects.get(mobile=CO_MEMBER)
    client.post("/account/members/", {"action": "remove", "member": member.pk})
    assert not Member.objects.filter(mobile=CO_MEMBER).exists()
    assert "ورود به حساب گروه" in co_client.get("/account/").content.decode()


def test_a_co_member_cannot_add_or_remove(registration):
    client = signed_in()
    confirm(client, add(client), last_code(CO_MEMBER))
    SmsMessage.objects.filter(recipient=CO_MEMBER).delete()
    co_client = signed_in(CO_MEMBER)
    response = add(co_client, mobile="+989121110078")
    assert response.status_code == 400
    assert not SmsMessage.objects.filter(recipient="+989121110078").exists()
    representative = Member.objects.get(role=Member.Role.REPRESENTATIVE)
    co_client.post("/account/members/", {"action": "remove", "member": representative.pk})
    assert Member.objects.filter(pk=representative.pk).exists()


def test_at_most_a_few_co_members(registration, settings):
    settings.ACCOUNT_MAX_CO_MEMBERS = 1
    client = signed_in()
    confirm(client, add(client), last_code(CO_MEMBER))
    response = add(client, mobile="+989121110078")
    assert response.status_code == 400
    assert not SmsMessage.objects.filter(recipient="+989121110078").exists()


def test_another_groups_member_cannot_be_removed(campaign, registration):
    from tests.backoffice import make_registration

    make_registration(campaign, mobile="+989121110002")
    other_rep = signed_in("+989121110002")
    confirm(other_rep, add(other_rep), last_code(CO_MEMBER))
    their_member = Member.objects.get(mobile=CO_MEMBER)
    client = signed_in()
    response = client.post("/account/members/", {"action": "remove", "member": their_member.pk})
    assert response.status_code == 400
    assert Member.objects.filter(pk=their_member.pk).exists()
    # Nor can their pending invitation be confirmed from here.
    assert Client().get("/account/members/").status_code == 302
