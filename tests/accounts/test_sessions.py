"""Staff and group sessions stay apart: a member never signs in over a staff session."""

from django.conf import settings as django_settings
from django.test import Client

from wagtail.models import ModelLogEntry

from accounts import services
from accounts.models import SignInCode
from sms.models import SmsMessage

from .conftest import REPRESENTATIVE, last_code
from .test_sms_link import link_path, text


STAFF_MESSAGE = "ابتدا از بخش مدیریت خارج شوید"


def test_the_sign_in_page_asks_staff_to_sign_out_of_the_admin_first(manager_client, registration):
    page = manager_client.get("/account/")
    assert page.status_code == 409
    assert STAFF_MESSAGE in page.content.decode()
    english = manager_client.get("/en/account/").content.decode()
    assert "Sign out of the admin first" in english
    # Asking for a code from here sends nothing and keeps the staff session.
    manager_client.post("/account/", {"mobile": REPRESENTATIVE})
    assert not SmsMessage.objects.filter(recipient=REPRESENTATIVE).exists()
    assert manager_client.get("/admin/").status_code == 200


def test_a_code_typed_in_a_staff_browser_does_not_replace_the_staff_session(manager, registration):
    client = Client()
    client.post("/account/", {"mobile": REPRESENTATIVE})
    code = last_code(REPRESENTATIVE)
    client.force_login(manager)  # staff signs in to the admin in another tab meanwhile
    response = client.post("/account/code/", {"code": code})
    assert response.status_code == 409
    assert STAFF_MESSAGE in response.content.decode()
    assert int(client.session["_auth_user_id"]) == manager.pk
    assert client.get("/admin/").status_code == 200
    assert not ModelLogEntry.objects.filter(action=services.SIGN_IN).exists()
    # The code is not used up: signed out of the admin, the group signs in with it.
    client.post("/admin/logout/")
    assert client.post("/account/code/", {"code": code}).status_code == 302
    assert client.get("/account/").status_code == 200


def test_a_sign_in_link_opened_in_a_staff_browser_is_not_used_up(manager_client, registration):
    text(REPRESENTATIVE)
    path = link_path(REPRESENTATIVE)
    response = manager_client.post(path)
    assert response.status_code == 409
    assert SignInCode.objects.get(kind=SignInCode.Kind.LINK).used_at is None
    assert Client().post(path).status_code == 302


def test_the_staff_sign_out_button_comes_back_to_the_group_sign_in(manager_client, registration):
    response = manager_client.post("/admin/logout/", {"next": "/account/"})
    assert response.status_code == 302 and response.url == "/account/"
    assert manager_client.get("/account/").status_code == 200


def test_member_sessions_have_their_own_lifetime_and_staff_ones_keep_theirs(
    manager, registration, settings
):
    settings.ACCOUNT_SESSION_AGE = 3600
    member = Client()
    member.post("/account/", {"mobile": REPRESENTATIVE})
    member.post("/account/code/", {"code": last_code(REPRESENTATIVE)})
    assert member.session.get_expiry_age() == 3600
    staff = Client()
    staff.force_login(manager)
    assert staff.session.get_expiry_age() == django_settings.SESSION_COOKIE_AGE
