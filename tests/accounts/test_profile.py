"""A signed-in group edits its profile; edits to approved registrations wait for staff."""

from django.test import Client

from wagtail.models import ModelLogEntry

import pytest

from accounts import services
from accounts.models import ProposedChange
from persian.text import to_persian_digits
from registrations.choices import Status
from registrations.models import Registration
from tests.backoffice import make_registration, manager  # noqa: F401 - fixture

from .conftest import REPRESENTATIVE, last_code


def signed_in(mobile=REPRESENTATIVE) -> Client:
    client = Client()
    client.post("/account/", {"mobile": mobile})
    client.post("/account/code/", {"code": last_code(mobile)})
    assert "_auth_user_id" in client.session
    return client


def profile_form(registration, **changes):
    data = {
        "representative_name": registration.representative_name,
        "city": registration.city,
        "email": registration.email,
        "fields_of_activity": registration.fields_of_activity,
        "capacities": registration.capacities,
        "experience": registration.experience,
        "member_count": registration.member_count or "",
        "years_active": registration.years_active or "",
    }
    data.update(changes)
    return data


def url(registration):
    return f"/account/registrations/{registration.tracking_code}/"


def test_an_unreviewed_registration_is_edited_at_once_and_logged(registration):
    client = signed_in()
    response = client.post(
        url(registration), profile_form(registration, capacities=["venue"], member_count="۱۲")
    )
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.capacities == ["venue"] and registration.member_count == 12
    entry = ModelLogEntry.objects.get(action=services.PROFILE_EDITED)
    assert entry.data["changes"]["capacities"] == {"old": ["volunteers"], "new": ["venue"]}


def test_an_edit_to_an_approved_registration_waits_for_review(campaign):
    registration = make_registration(campaign, mobile=REPRESENTATIVE, status=Status.APPROVED)
    client = signed_in()
    client.post(url(registration), profile_form(registration, capacities=["venue", "funding"]))
    registration.refresh_from_db()
    assert registration.capacities == ["volunteers"]  # the approved values stay in force
    change = ProposedChange.objects.get()
    assert change.changes["capacities"]["new"] == ["venue", "funding"]
    page = client.get(url(registration)).content.decode()
    assert 'id="pending-change"' in page
    assert "در انتظار بررسی" in client.get("/account/").content.decode()


def test_staff_accept_a_change_and_then_it_is_in_force(campaign, manager):  # noqa: F811
    registration = make_registration(campaign, mobile=REPRESENTATIVE, status=Status.APPROVED)
    signed_in().post(url(registration), profile_form(registration, city="کرج"))
    change = ProposedChange.objects.get()
    staff = Client()
    staff.force_login(manager)
    review = staff.get(f"/admin/proposed-changes/{change.pk}/review/")
    assert review.status_code == 200 and "کرج" in review.content.decode()
    staff.post(f"/admin/proposed-changes/{change.pk}/review/", {"decision": "accept"})
    registration.refresh_from_db()
    assert registration.city == "کرج"
    change.refresh_from_db()
    assert change.status == ProposedChange.Status.ACCEPTED and change.decided_by == manager
    assert ModelLogEntry.objects.filter(action=services.CHANGE_ACCEPTED).count() == 1


def test_a_pending_change_is_not_in_the_export(campaign, manager):  # noqa: F811
    registration = make_registration(campaign, mobile=REPRESENTATIVE, status=Status.APPROVED)
    signed_in().post(url(registration), profile_form(registration, city="کرج"))
    staff = Client()
    staff.force_login(manager)
    export = staff.get("/admin/registrations/", {"export": "csv"})
    assert export.status_code == 200
    body = (
        b"".join(export.streaming_content).decode() if export.streaming else export.content.decode()
    )
    assert "تهران" in body and "کرج" not in body


def test_a_member_cannot_review_changes(campaign):
    registration = make_registration(campaign, mobile=REPRESENTATIVE, status=Status.APPROVED)
    client = signed_in()
    client.post(url(registration), profile_form(registration, city="کرج"))
    change = ProposedChange.objects.get()
    response = client.post(f"/admin/proposed-changes/{change.pk}/review/", {"decision": "accept"})
    assert response.status_code in (302, 403)
    assert Registration.objects.get(pk=registration.pk).city == "تهران"


def test_another_groups_registration_is_a_404(campaign, registration):
    other = make_registration(campaign, mobile="+989121110002")
    client = signed_in()
    assert client.get(url(other)).status_code == 404
    assert client.post(url(other), profile_form(other, city="کرج")).status_code == 404
    assert client.get("/account/registrations/not-a-code/").status_code == 404
    other.refresh_from_db()
    assert other.city == "تهران"


def test_bad_input_is_refused_in_persian_and_nothing_changes(registration):
    client = signed_in()
    response = client.post(
        url(registration), profile_form(registration, member_count="-3", email="x")
    )
    assert response.status_code == 400
    registration.refresh_from_db()
    assert registration.member_count is None
    assert not ModelLogEntry.objects.filter(action=services.PROFILE_EDITED).exists()


def test_signed_out_visitors_are_sent_to_sign_in(registration):
    response = Client().get(url(registration))
    assert response.status_code == 302 and response.url == "/account/"


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_the_profile_page_in_both_languages(registration, prefix):
    client = signed_in()
    page = client.get(f"{prefix}{url(registration)}").content.decode()
    code = registration.tracking_code
    assert (to_persian_digits(code) if not prefix else code) in page
