"""Optional two-factor sign-in for staff: the admin login, the enrolment page, the reset command.

Real admin requests through the test client; codes are computed from the device's key the
way an authenticator app does (django_otp.oath.totp).
"""

import io
import re

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from wagtail.models import ModelLogEntry

import pytest
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from persian.text import to_persian_digits
from twofactor import devices


pytestmark = pytest.mark.django_db

PASSWORD = "right-pw"
URL = "/admin/account/two-factor/"


@pytest.fixture
def boss(db):
    return User.objects.create_superuser("boss", "boss@example.org", PASSWORD)


@pytest.fixture
def editor(db):
    user = User.objects.create_user("sara", password=PASSWORD)
    user.groups.add(Group.objects.get(name="Editors"))
    return user


def add_device(user, confirmed=True):
    return TOTPDevice.objects.create(user=user, name="phone", confirmed=confirmed)


def code(device, offset=0) -> str:
    """The six digits the app shows now (offset: that many 30-second steps away)."""
    return f"{totp(device.bin_key, step=device.step, drift=offset):06d}"


def wrong(device) -> str:
    right = {code(device, offset) for offset in (-1, 0, 1)}
    return next(c for c in ("000000", "111111", "222222", "333333") if c not in right)


def login(client, username="boss", password=PASSWORD, otp_token=None, ip="10.0.0.5"):
    data = {"username": username, "password": password}
    if otp_token is not None:
        data["otp_token"] = otp_token
    return client.post("/admin/login/", data, REMOTE_ADDR=ip)


def sign_in_verified(client, user, device):
    """A session that gave its code at sign-in, as the login form makes it."""
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def errors(response) -> str:
    """The login form's errors, shown at its top."""
    return " ".join(str(error) for error in response.context["form"].non_field_errors())


# --- signing in -------------------------------------------------------------------------


def test_the_login_form_offers_an_optional_code_field(client):
    page = client.get("/admin/login/").content.decode()
    assert 'name="otp_token"' in page
    assert 'autocomplete="one-time-code"' in page


def test_without_a_device_username_and_password_are_enough(client, boss):
    response = login(client)
    assert response.status_code == 302
    assert signed_in(client)
    assert client.get("/admin/").status_code == 200


def test_an_unconfirmed_device_does_not_ask_for_a_code(client, boss):
    add_device(boss, confirmed=False)
    assert login(client).status_code == 302
    assert signed_in(client)


def test_with_a_device_a_missing_code_refuses_with_a_persian_error(client, boss):
    add_device(boss)
    response = login(client)
    assert response.status_code == 200
    assert not signed_in(client)
    assert "کد شش‌رقمی برنامهٔ احراز هویت‌تان را وارد کنید" in errors(response)


def test_with_a_device_a_wrong_code_refuses(client, boss):
    device = add_device(boss)
    response = login(client, otp_token=wrong(device))
    assert response.status_code == 200
    assert not signed_in(client)
    assert "کد درست نیست" in errors(response)


def test_a_wrong_password_with_a_right_code_still_fails_as_before(client, boss):
    device = add_device(boss)
    response = login(client, password="wrong", otp_token=code(device))
    assert response.status_code == 200
    assert not signed_in(client)
    # The code was not even looked at: it stays usable.
    device.refresh_from_db()
    assert device.last_t == -1


@pytest.mark.parametrize("script", ["persian", "arabic", "ascii"])
def test_the_right_code_in_any_digits_signs_in_verified(client, boss, script):
    device = add_device(boss)
    typed = code(device)
    if script == "persian":
        typed = to_persian_digits(typed)
    elif script == "arabic":
        typed = typed.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    response = login(client, otp_token=typed[:3] + " " + typed[3:])
    assert response.status_code == 302
    assert signed_in(client)
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    home = client.get("/admin/")
    assert home.status_code == 200
    assert home.wsgi_request.user.is_verified()


def test_a_code_signs_in_only_once(client, boss):
    device = add_device(boss)
    typed = code(device)
    assert login(client, otp_token=typed).status_code == 302
    client.logout()
    assert login(client, otp_token=typed).status_code == 200
    assert not signed_in(client)


def test_wrong_codes_count_towards_the_lockout(client, boss):
    device = add_device(boss)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, otp_token=wrong(device))
    locked = login(client, otp_token=code(device))
    assert locked.status_code == 429
    assert not signed_in(client)


def test_wrong_passwords_still_lock_a_two_factor_account(client, boss):
    device = add_device(boss)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, password="wrong")
    assert login(client, otp_token=code(device)).status_code == 429


# --- the two-factor page ----------------------------------------------------------------


def test_the_account_page_links_to_the_two_factor_page(client, boss):
    client.force_login(boss)
    page = client.get("/admin/account/").content.decode()
    assert URL in page
    assert "ورود دومرحله‌ای" in page


def test_the_page_says_it_is_off_and_turning_on_shows_a_qr_code_and_the_secret(client, boss):
    client.force_login(boss)
    page = client.get(URL)
    assert page.status_code == 200
    assert 'data-twofactor="off"' in page.content.decode()

    assert client.post(URL, {"action": "start"}).status_code == 302
    device = TOTPDevice.objects.get(user=boss)
    assert not device.confirmed
    html = client.get(URL).content.decode()
    assert 'data-twofactor="pending"' in html
    svg = re.search(r'<div class="nehzat-twofactor__qr">(<svg\b.*?</svg>)', html, re.S).group(1)
    assert 'role="img"' in svg
    assert "<script" not in svg and "<image" not in svg and "href" not in svg
    assert devices.secret_for_display(device) in html
    # Turning on does not turn it on: signing in still needs no code.
    assert not devices.has_two_factor(boss)


def test_confirming_with_the_right_code_turns_it_on(client, boss):
    client.force_login(boss)
    client.post(URL, {"action": "start"})
    device = TOTPDevice.objects.get(user=boss)
    response = client.post(
        URL,
        {"action": "confirm", "otp_token": to_persian_digits(code(device)), "password": PASSWORD},
    )
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(URL).wsgi_request.user.is_verified()
    assert 'data-twofactor="on"' in client.get(URL).content.decode()
    entry = ModelLogEntry.objects.get(action=devices.ENABLE)
    assert entry.object_id == str(boss.pk) and entry.user_id == boss.pk


@pytest.mark.parametrize(
    ("right_code", "password", "error"),
    [
        (False, PASSWORD, "کد درست نیست"),
        # A stolen session alone cannot enrol the thief's phone.
        (True, "not-it", "رمز عبور شما نیست"),
    ],
    ids=["wrong code", "wrong password"],
)
def test_confirming_with_a_wrong_code_or_password_does_not(
    client, boss, right_code, password, error
):
    client.force_login(boss)
    client.post(URL, {"action": "start"})
    device = TOTPDevice.objects.get(user=boss)
    token = code(device) if right_code else wrong(device)
    response = client.post(URL, {"action": "confirm", "otp_token": token, "password": password})
    assert response.status_code == 200
    assert error in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed
    assert not ModelLogEntry.objects.filter(action=devices.ENABLE).exists()


def test_starting_again_replaces_the_unconfirmed_secret_and_cancel_drops_it(client, boss):
    client.force_login(boss)
    client.post(URL, {"action": "start"})
    first = TOTPDevice.objects.get(user=boss).key
    client.post(URL, {"action": "start"})
    assert TOTPDevice.objects.get(user=boss).key != first
    client.post(URL, {"action": "cancel"})
    assert not TOTPDevice.objects.filter(user=boss).exists()


def test_turning_off_needs_a_current_code(client, boss):
    device = add_device(boss)
    sign_in_verified(client, boss, device)
    assert client.post(URL, {"action": "disable"}).status_code == 200
    assert client.post(URL, {"action": "disable", "otp_token": wrong(device)}).status_code == 200
    assert devices.has_two_factor(boss)


def test_turning_off_with_the_right_code(client, boss):
    device = add_device(boss)
    sign_in_verified(client, boss, device)
    response = client.post(URL, {"action": "disable", "otp_token": code(device)})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=boss).exists()
    assert ModelLogEntry.objects.filter(action=devices.DISABLE, object_id=str(boss.pk)).exists()
    assert 'data-twofactor="off"' in client.get(URL).content.decode()
    client.logout()
    assert login(client).status_code == 302


def test_an_editor_can_turn_it_on_and_then_needs_the_code(client, editor):
    client.force_login(editor)
    assert client.get(URL).status_code == 200
    client.post(URL, {"action": "start"})
    device = TOTPDevice.objects.get(user=editor)
    client.post(URL, {"action": "confirm", "otp_token": code(device), "password": PASSWORD})
    assert devices.has_two_factor(editor)
    client.logout()
    assert login(client, "sara").status_code == 200
    assert not signed_in(client)
    # The enrolment used this step's code; the app's next one signs in.
    assert login(client, "sara", otp_token=code(device, offset=1)).status_code == 302
    assert signed_in(client)


def test_account_settings_changes_are_still_in_the_audit_log(client, boss):
    """OTPMiddleware's request.user must stay a user Wagtail's log() recognises."""
    client.force_login(boss)
    response = client.post(
        "/admin/account/",
        {
            "name_email-first_name": "Bahram",
            "name_email-last_name": "Karimi",
            "name_email-email": "boss@example.org",
            "locale-preferred_language": "fa",
            "locale-current_time_zone": "",
            "theme-theme": "system",
            "theme-density": "default",
            "theme-contrast": "system",
        },
    )
    assert response.status_code == 302
    assert ModelLogEntry.objects.filter(action="wagtail.edit", object_id=str(boss.pk)).exists()


def test_the_page_needs_an_admin_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


# --- the reset command ------------------------------------------------------------------


def test_the_reset_command_removes_every_device(boss):
    add_device(boss)
    add_device(boss, confirmed=False)
    out = io.StringIO()
    call_command("reset_two_factor", "boss", stdout=out)
    assert not TOTPDevice.objects.filter(user=boss).exists()
    assert "Deleted 2" in out.getvalue()
    assert ModelLogEntry.objects.filter(action=devices.RESET, object_id=str(boss.pk)).exists()


def test_the_reset_command_says_when_there_was_nothing_to_do(boss):
    out = io.StringIO()
    call_command("reset_two_factor", "boss", stdout=out)
    assert "nothing changed" in out.getvalue()


def test_the_reset_command_refuses_an_unknown_user(db):
    with pytest.raises(CommandError):
        call_command("reset_two_factor", "nobody", stdout=io.StringIO())


def test_the_login_form_labels_the_password_in_persian(client):
    html = client.get("/admin/login/").content.decode()
    label = re.search(r'<label[^>]*for="id_password"[^>]*>(.*?)<span', html, re.S).group(1)
    assert label.strip() == "رمز عبور"


def test_turning_it_on_signs_out_the_accounts_other_sessions(client, boss):
    other = Client()  # e.g. a browser left signed in elsewhere, or a stolen session
    other.force_login(boss)
    assert other.get("/admin/").status_code == 200

    client.force_login(boss)
    client.post(URL, {"action": "start"})
    device = TOTPDevice.objects.get(user=boss)
    client.post(URL, {"action": "confirm", "otp_token": code(device), "password": PASSWORD})

    response = other.get("/admin/pages/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    assert not signed_in(other)
    assert client.get("/admin/").status_code == 200  # the session that gave the code stays


def test_staff_without_two_factor_keep_their_sessions(client, boss):
    client.force_login(boss)
    assert client.get("/admin/").status_code == 200
    assert signed_in(client)
