"""The account API (/api/account/…) as a client uses it: the web pages' rules, in JSON."""

from datetime import timedelta

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from wagtail.models import ModelLogEntry

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from accounts import services
from accounts.models import ApiToken, CoMemberInvite, Member, ProposedChange
from persian.text import to_persian_digits
from registrations.choices import Status
from sms.models import SmsMessage
from tests.backoffice import make_registration

from ..conftest import REPRESENTATIVE, STRANGER, last_code


OTHER = "+989121110002"


def api(client, method, path, data=None, **headers):
    call = getattr(client, method)
    if data is None and method == "get":
        return call(f"/api/account/{path}", **headers)
    if data is None:  # no body, as a JSON client sends a bare POST or DELETE
        return call(f"/api/account/{path}", b"", content_type="application/json", **headers)
    return call(f"/api/account/{path}", data, content_type="application/json", **headers)


def fa(number: str) -> str:
    return to_persian_digits("0" + number.removeprefix("+98"))


def token_for(mobile=REPRESENTATIVE, client=None) -> str:
    client = client or Client()
    assert api(client, "post", "codes/", {"mobile": fa(mobile)}).status_code == 202
    response = api(
        client,
        "post",
        "sign-in/",
        {"mobile": fa(mobile), "code": to_persian_digits(last_code(mobile))},
    )
    assert response.status_code == 200, response.content
    return response.json()["token"]


def bearer(token) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


@pytest.fixture
def token(registration):
    return token_for()


# --- signing in ------------------------------------------------------------------------------


def test_a_registered_and_an_unregistered_mobile_get_the_same_answer(client, registration):
    known = api(client, "post", "codes/", {"mobile": fa(REPRESENTATIVE)})
    unknown = api(client, "post", "codes/", {"mobile": fa(STRANGER)})
    assert known.status_code == unknown.status_code == 202
    assert known.json() == unknown.json()
    assert "اگر این شماره" in known.json()["detail"]
    assert not SmsMessage.objects.filter(recipient=STRANGER).exists()
    assert SmsMessage.objects.filter(recipient=REPRESENTATIVE).count() == 1


def test_a_bad_mobile_is_refused_in_persian_or_english(client, registration):
    response = api(client, "post", "codes/", {"mobile": "۱۲۳"})
    assert response.status_code == 400
    [item] = response.json()["errors"]
    assert item["field"] == "mobile" and "شماره" in item["message"]
    english = api(client, "post", "codes/", {"mobile": 123}, HTTP_ACCEPT_LANGUAGE="en")
    assert english.status_code == 400
    assert english.json()["errors"][0]["code"] == "invalid_type"
    assert not SmsMessage.objects.exists()


def test_the_code_signs_in_with_a_token_that_opens_my_group(client, registration):
    key = token_for()
    response = api(client, "get", "", **bearer(key))
    assert response.status_code == 200
    body = response.json()
    assert body["member"]["mobile"] == REPRESENTATIVE and body["is_representative"]
    [item] = body["registrations"]
    assert item["tracking_code"] == registration.tracking_code
    assert item["status"] == "confirmed" and item["decision"] is None
    assert ModelLogEntry.objects.filter(action=services.SIGN_IN, data={"via": "api"}).exists()
    token = ApiToken.objects.get()
    assert token.key_hash != key  # only the hash is kept


def test_my_group_shows_the_staffs_decision(client, campaign, registration):
    from tests.factories import CampaignPageFactory

    make_registration(
        CampaignPageFactory(),
        mobile=REPRESENTATIVE,
        status=Status.REJECTED,
        rejection_reason="مدارک ناقص است",
    )
    body = api(client, "get", "", **bearer(token_for())).json()
    rejected = [r for r in body["registrations"] if r["status"] == "rejected"]
    assert rejected[0]["decision"] == "rejected"
    assert rejected[0]["rejection_reason"] == "مدارک ناقص است"


def test_my_group_costs_a_fixed_number_of_queries(client, registration, django_assert_num_queries):
    from tests.factories import CampaignPageFactory

    key = token_for()
    with django_assert_num_queries(4) as one:
        api(client, "get", "", **bearer(key))
    for _ in range(3):
        make_registration(CampaignPageFactory(), mobile=REPRESENTATIVE)
    with django_assert_num_queries(len(one.captured_queries)):
        assert len(api(client, "get", "", **bearer(key)).json()["registrations"]) == 4


def test_a_wrong_code_says_so_and_five_lock_the_number(client, registration):
    api(client, "post", "codes/", {"mobile": REPRESENTATIVE})
    code = last_code(REPRESENTATIVE)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    for _ in range(4):
        response = api(client, "post", "sign-in/", {"mobile": REPRESENTATIVE, "code": wrong})
        assert response.status_code == 400
        assert response.json()["errors"][0]["code"] == "code_invalid"
        assert "درست نیست" in response.json()["errors"][0]["message"]
    locked = api(client, "post", "sign-in/", {"mobile": REPRESENTATIVE, "code": wrong})
    assert locked.status_code == 429 and locked.json()["errors"][0]["code"] == "locked_out"
    after = api(client, "post", "sign-in/", {"mobile": REPRESENTATIVE, "code": code})
    assert after.status_code == 429
    assert not ApiToken.objects.exists()


def test_a_code_for_one_mobile_never_signs_in_another(client, campaign, registration):
    make_registration(campaign, mobile=OTHER)
    api(client, "post", "codes/", {"mobile": REPRESENTATIVE})
    code = last_code(REPRESENTATIVE)
    response = api(client, "post", "sign-in/", {"mobile": OTHER, "code": code})
    assert response.status_code == 400
    assert not ApiToken.objects.exists()


def test_asking_for_codes_too_often_is_limited(client, registration, settings):
    settings.ACCOUNT_MOBILE_RATE = "2/h"
    for _ in range(2):
        assert api(client, "post", "codes/", {"mobile": fa(STRANGER)}).status_code == 202
    response = api(client, "post", "codes/", {"mobile": STRANGER})
    assert response.status_code == 429
    assert response.json()["errors"][0]["code"] == "throttled"


def test_a_session_sign_in_needs_the_csrf_token_and_then_works_on_the_pages(registration):
    client = Client(enforce_csrf_checks=True)
    client.get("/account/")  # sets the CSRF cookie, as a browser would get it
    csrf = client.cookies["csrftoken"].value
    api(client, "post", "codes/", {"mobile": REPRESENTATIVE})
    data = {"mobile": REPRESENTATIVE, "code": last_code(REPRESENTATIVE), "session": True}
    refused = api(client, "post", "sign-in/", data)
    assert refused.status_code == 403
    response = api(client, "post", "sign-in/", data, HTTP_X_CSRFTOKEN=csrf)
    assert response.status_code == 200 and response.json()["token"] is None
    assert client.get("/account/").status_code == 200
    assert api(client, "get", "").json()["member"]["mobile"] == REPRESENTATIVE
    # Unsafe calls on a session need the (rotated) CSRF token too.
    csrf = client.cookies["csrftoken"].value
    assert api(client, "post", "sign-out/").status_code == 403
    assert api(client, "post", "sign-out/", HTTP_X_CSRFTOKEN=csrf).status_code == 204
    assert api(client, "get", "").status_code == 401


def test_a_session_sign_in_over_a_staff_session_is_refused(manager_client, registration):
    api(manager_client, "post", "codes/", {"mobile": REPRESENTATIVE})
    data = {"mobile": REPRESENTATIVE, "code": last_code(REPRESENTATIVE), "session": True}
    response = api(manager_client, "post", "sign-in/", data)
    assert response.status_code == 409
    assert response.json()["errors"][0]["code"] == "staff_session"
    assert manager_client.get("/admin/").status_code == 200
    # A token does not touch the session, so staff can still test the API from here.
    data["session"] = False
    assert api(manager_client, "post", "sign-in/", data).status_code == 200


def test_signing_out_ends_the_token_and_is_in_the_trail(client, token):
    assert api(client, "post", "sign-out/", **bearer(token)).status_code == 204
    response = api(client, "get", "", **bearer(token))
    assert response.status_code == 401
    assert response.json()["errors"][0]["code"] == "token_invalid"
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert ModelLogEntry.objects.filter(action=services.SIGN_OUT, data={"via": "api"}).exists()


def test_a_token_lasts_as_long_as_a_member_session(client, token, settings):
    row = ApiToken.objects.get()
    assert abs(
        (row.expires_at - row.created_at) - timedelta(seconds=settings.ACCOUNT_SESSION_AGE)
    ) < timedelta(seconds=5)
    ApiToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert api(client, "get", "", **bearer(token)).status_code == 401


def test_without_a_token_the_answer_is_401_in_persian(client, registration):
    response = api(client, "get", "")
    assert response.status_code == 401
    [item] = response.json()["errors"]
    assert item["code"] == "not_authenticated" and "وارد شوید" in item["message"]
    assert api(client, "get", "", **bearer("x" * 43)).status_code == 401


def test_a_token_never_reaches_the_admin(client, token):
    response = client.get("/admin/", **bearer(token))
    assert response.status_code == 302
    assert response.url.startswith(reverse("wagtailadmin_login"))
    assert client.get("/admin/registrations/registration/", **bearer(token)).status_code == 302
    assert client.get("/django-admin/", **bearer(token)).status_code in (302, 404)


def test_a_staff_session_is_no_group_to_the_api(manager_client, registration):
    assert api(manager_client, "get", "").status_code == 401


def test_removing_a_member_ends_their_tokens(client, campaign, registration, token):
    member = Member.objects.get()
    member.user.delete()
    assert api(client, "get", "", **bearer(token)).status_code == 401


# --- the profile -----------------------------------------------------------------------------


def test_an_approved_profile_edit_waits_for_review_and_stays_out_of_force(client, campaign):
    registration = make_registration(campaign, mobile=REPRESENTATIVE, status=Status.APPROVED)
    key = token_for()
    path = f"registrations/{registration.tracking_code}/"
    response = api(client, "patch", path, {"capacities": ["volunteers", "venue"]}, **bearer(key))
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["outcome"] == "proposed"
    assert body["profile"]["capacities"] == registration.capacities
    assert body["pending_change"]["changes"]["capacities"]["new"] == ["volunteers", "venue"]
    registration.refresh_from_db()
    assert registration.capacities != ["volunteers", "venue"]
    shown = api(client, "get", path, **bearer(key)).json()
    assert shown["pending_change"] is not None and shown["registration"]["change_pending"]
    # A second edit keeps the first one's values (it replaces the pending proposal).
    api(client, "patch", path, {"city": "کرج"}, **bearer(key))
    change = ProposedChange.objects.get(status=ProposedChange.Status.PENDING)
    assert set(change.changes) == {"capacities", "city"}


def test_a_profile_edit_before_review_is_saved_at_once(client, registration, token):
    path = f"registrations/{registration.tracking_code}/"
    response = api(client, "patch", path, {"member_count": "۱۲"}, **bearer(token))
    assert response.status_code == 200 and response.json()["outcome"] == "saved"
    registration.refresh_from_db()
    assert registration.member_count == 12
    again = api(client, "patch", path, {"member_count": 12}, **bearer(token))
    assert again.json()["outcome"] == "unchanged"


def test_a_bad_profile_edit_says_why_and_changes_nothing(client, registration, token):
    path = f"registrations/{registration.tracking_code}/"
    response = api(client, "patch", path, {"capacities": ["no-such"], "city": ""}, **bearer(token))
    assert response.status_code == 400
    assert {item["field"] for item in response.json()["errors"]} == {"capacities", "city"}
    typed = api(client, "patch", path, {"city": ["x"]}, **bearer(token))
    assert typed.status_code == 400 and typed.json()["errors"][0]["code"] == "invalid_type"
    registration.refresh_from_db()
    assert registration.city == "تهران"
    assert not ProposedChange.objects.exists()


def test_withdrawing_through_the_api(client, registration, token):
    path = f"registrations/{registration.tracking_code}/"
    refused = api(client, "post", path + "withdraw/", {}, **bearer(token))
    assert refused.status_code == 400
    response = api(client, "post", path + "withdraw/", {"confirm": True}, **bearer(token))
    assert response.status_code == 200
    assert response.json()["registration"]["status"] == "withdrawn"
    assert response.json()["editable"] is False
    edit = api(client, "patch", path, {"city": "کرج"}, **bearer(token))
    assert edit.status_code == 409 and edit.json()["errors"][0]["code"] == "withdrawn"


# --- another group's data, by id guessing ---------------------------------------------------


@pytest.fixture
def other_group(campaign):
    other = make_registration(campaign, mobile=OTHER, status=Status.APPROVED)
    other_key = token_for(OTHER)
    invite = services.invite_co_member(
        group=services.SignedInGroup(*_group_of(OTHER)),
        name="همکار",
        mobile="+989121110009",
        language="fa",
    )
    co_member = CoMemberInvite.objects.get(pk=invite.pk)
    return other, other_key, co_member


def _group_of(mobile):
    member = Member.objects.select_related("group").get(mobile=mobile)
    return member.group, member


def test_another_groups_ids_are_never_found(client, registration, token, other_group):
    other, _other_key, invite = other_group
    other_member = Member.objects.get(mobile=OTHER)
    path = f"registrations/{other.tracking_code}/"
    for method, url, data in (
        ("get", path, None),
        ("patch", path, {"city": "کرج"}),
        ("post", path + "withdraw/", {"confirm": True}),
        ("post", f"members/invites/{invite.pk}/confirm/", {"code": "123456"}),
        ("delete", f"members/{other_member.pk}/", None),
    ):
        response = api(client, method, url, data, **bearer(token))
        assert response.status_code == 404, (method, url, response.content)
        assert response.json()["errors"][0]["code"] == "not_found"
    other.refresh_from_db()
    assert other.city == "تهران" and other.status == Status.APPROVED
    assert not ProposedChange.objects.exists()
    assert Member.objects.filter(pk=other_member.pk).exists()
    assert CoMemberInvite.objects.filter(pk=invite.pk, attempts=0).exists()


@hsettings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(guess=st.one_of(st.integers(min_value=-5, max_value=10**9).map(str), st.text(max_size=12)))
def test_any_guessed_tracking_code_or_id_is_a_404_unless_it_is_ours(
    client, registration, token, guess
):
    for url in (f"registrations/{guess}/", f"members/{guess}/"):
        method = "get" if url.startswith("registrations") else "delete"
        response = api(client, method, url, **bearer(token))
        if url == f"registrations/{registration.tracking_code}/":
            assert response.status_code == 200
        else:
            assert response.status_code in (404, 405), (url, response.status_code)
            assert response["Content-Type"] == "application/json"


# --- mobile and co-members -------------------------------------------------------------------


def test_the_representative_moves_the_group_to_a_new_mobile(client, registration, token):
    new = "+989121110005"
    sent = api(client, "post", "mobile/", {"mobile": fa(new)}, **bearer(token))
    assert sent.status_code == 202
    wrong = api(
        client, "post", "mobile/confirm/", {"mobile": new, "code": "000000"}, **bearer(token)
    )
    assert wrong.status_code == 400
    response = api(
        client, "post", "mobile/confirm/", {"mobile": new, "code": last_code(new)}, **bearer(token)
    )
    assert response.status_code == 200 and response.json()["mobile"] == new
    registration.refresh_from_db()
    assert str(registration.mobile) == new
    assert SmsMessage.objects.filter(recipient=REPRESENTATIVE, text__contains="تغییر").exists()


def test_co_members_are_added_with_a_code_and_removed(client, registration, token):
    mobile = "+989121110007"
    invite = api(
        client, "post", "members/", {"name": "سارا رضایی", "mobile": fa(mobile)}, **bearer(token)
    )
    assert invite.status_code == 202, invite.content
    invite_id = invite.json()["id"]
    confirm = api(
        client,
        "post",
        f"members/invites/{invite_id}/confirm/",
        {"code": to_persian_digits(last_code(mobile))},
        **bearer(token),
    )
    assert confirm.status_code == 201 and confirm.json()["role"] == "co_member"
    listed = api(client, "get", "members/", **bearer(token)).json()
    assert [m["mobile"] for m in listed["members"]] == [REPRESENTATIVE, mobile]
    # The co-member signs in too (past the minute between two codes), and cannot remove anyone.
    SmsMessage.objects.filter(recipient=mobile).delete()
    co_key = token_for(mobile)
    co_id = confirm.json()["id"]
    representative_id = listed["members"][0]["id"]
    assert (
        api(client, "delete", f"members/{representative_id}/", **bearer(co_key)).status_code == 404
    )
    refused = api(client, "delete", f"members/{co_id}/", **bearer(co_key))
    assert refused.status_code == 400 and "نماینده" in refused.json()["errors"][0]["message"]
    assert api(client, "delete", f"members/{co_id}/", **bearer(token)).status_code == 204
    assert api(client, "get", "", **bearer(co_key)).status_code == 401
