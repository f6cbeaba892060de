"""What staff see of group accounts: members and their audit trail, changes, the history."""

from django.test import Client

from accounts.models import Member, ProposedChange
from registrations.choices import Status
from tests.backoffice import make_registration, manager  # noqa: F401 - fixture

from .conftest import REPRESENTATIVE
from .test_profile import profile_form, signed_in, url


def staff(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_managers_read_members_and_their_sign_ins(registration, manager):  # noqa: F811
    signed_in()
    member = Member.objects.get(mobile=REPRESENTATIVE)
    client = staff(manager)
    listing = client.get("/admin/group-members/")
    assert listing.status_code == 200
    assert "0912***0001" in listing.content.decode()
    history = client.get(f"/admin/group-members/history/{member.pk}/")
    assert history.status_code == 200
    assert "Signed in" in history.content.decode() or "وارد شد" in history.content.decode()


def test_the_registrations_history_shows_who_changed_what(campaign, manager):  # noqa: F811
    registration = make_registration(campaign, mobile=REPRESENTATIVE, status=Status.APPROVED)
    signed_in().post(url(registration), profile_form(registration, city="کرج"))
    client = staff(manager)
    assert client.get("/admin/proposed-changes/").status_code == 200
    history = client.get(f"/admin/registrations/history/{registration.pk}/").content.decode()
    assert "کرج" in history and "تهران" in history
    change = ProposedChange.objects.get()
    assert "کرج" in client.get(f"/admin/proposed-changes/{change.pk}/review/").content.decode()
