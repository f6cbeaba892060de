"""Inviting matched groups: one SMS each (none after an opt-out), accept → participant,
decline, one reminder, no answer; a group sees and answers only its own invitations."""

import re
from datetime import timedelta
from urllib.parse import quote

from django.test import Client
from django.urls import reverse
from django.utils import timezone

import pytest

from accounts import services as accounts
from interventions import invitations
from interventions.invitation_models import Invitation, InvitationStatus
from interventions.models import Participant
from interventions.services.rules import InterventionError
from interventions.tasks import remind_invitations
from sms.models import SmsMessage, SmsOptOut
from tests.backoffice import editor, manager  # noqa: F401 - fixtures

from .support import approved_group, coordinator, opened, staff


LATIN = str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789")


pytestmark = pytest.mark.django_db


@pytest.fixture
def user(db):
    return coordinator()


@pytest.fixture
def intervention(demo, user):
    return opened(demo, user=user)


@pytest.fixture
def two_groups(demo):
    return [
        approved_group(demo, organisation_name="کانون مهر", capacities=["venue", "volunteers"]),
        approved_group(demo, organisation_name="هیئت جوانان", capacities=["counselling"]),
    ]


def texts_to(registration):
    return list(
        SmsMessage.objects.filter(recipient=registration.mobile)
        .order_by("pk")
        .values_list("text", "status")
    )


def signed_in(registration) -> Client:
    member = accounts._member_for(registration.mobile)
    client = Client()
    client.force_login(member.user, backend=accounts.BACKEND)
    return client


def link_path(invitation):
    return reverse("interventions:invitation", kwargs={"token": invitations.token_for(invitation)})


def test_invite_sends_one_sms_with_a_signed_link_each(intervention, user, two_groups):
    made = invitations.invite(intervention, two_groups, user=user)
    assert [i.status for i in made] == ["invited", "invited"]
    for group, invitation in zip(two_groups, made, strict=True):
        [(text, status)] = texts_to(group)
        assert status == "queued"
        assert intervention.title in text
        assert "/account/invitations/" in text
        assert (
            invitations.from_token(text.rsplit("/account/invitations/", 1)[1].rstrip("/"))
            == invitation
        )
    # Again, with one more group: only the new one is invited and texted.
    again = invitations.invite(intervention, two_groups, user=user)
    assert again == []
    assert all(len(texts_to(g)) == 1 for g in two_groups)


def test_an_opted_out_group_is_invited_but_not_texted(intervention, user, two_groups):
    SmsOptOut.objects.create(mobile=two_groups[0].mobile)
    invitations.invite(intervention, two_groups, user=user)
    assert [status for _text, status in texts_to(two_groups[0])] == ["suppressed"]
    assert [status for _text, status in texts_to(two_groups[1])] == ["queued"]


def test_only_coordinators_and_the_facilitator_invite(intervention, two_groups, demo):
    for someone in (staff(), None):
        with pytest.raises(InterventionError):
            invitations.invite(intervention, two_groups, user=someone)
    assert not Invitation.objects.exists()
    assert not SmsMessage.objects.filter(recipient=two_groups[0].mobile).exists()
    facilitating = opened(demo, facilitator_user=staff())
    assert invitations.invite(facilitating, two_groups[:1], user=facilitating.facilitator_user)


def test_unapproved_groups_and_closed_interventions_are_refused_whole(intervention, user, demo):
    pending = approved_group(demo, status="confirmed")
    good = approved_group(demo)
    with pytest.raises(InterventionError):
        invitations.invite(intervention, [good, pending], user=user)
    assert not Invitation.objects.exists()
    assert not SmsMessage.objects.filter(recipient=good.mobile).exists()


def test_accept_makes_a_participant_with_the_offered_capacities(intervention, user, two_groups):
    invitation = invitations.invite(intervention, two_groups, user=user)[0]
    client = signed_in(two_groups[0])
    page = client.get(link_path(invitation))
    assert page.status_code == 200
    assert intervention.aim in page.content.decode()
    answered = client.post(
        link_path(invitation), {"answer": "accept", "capacities": ["venue"], "show_name": "on"}
    )
    assert answered.status_code == 302
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.ACCEPTED
    assert invitation.offered_capacities == ["venue"]
    participant = Participant.objects.get(intervention=intervention)
    assert participant.registration == two_groups[0]
    assert participant.capacities_offered == ["venue"]
    assert participant.show_name is True
    # A second answer changes nothing.
    with pytest.raises(InterventionError):
        invitations.decline(invitation, group=accounts.SignedInGroup(*_group(two_groups[0])))
    assert Participant.objects.count() == 1


def _group(registration):
    member = accounts._member_for(registration.mobile)
    return member.group, member


def test_accept_needs_a_capacity_and_says_so_in_persian(intervention, user, two_groups):
    invitation = invitations.invite(intervention, two_groups, user=user)[0]
    client = signed_in(two_groups[0])
    page = client.post(link_path(invitation), {"answer": "accept"})
    assert page.status_code == 400
    assert "دست‌کم یک" in page.content.decode()
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.INVITED
    assert not Participant.objects.exists()
    bad = client.post(link_path(invitation), {"answer": "accept", "capacities": ["gold"]})
    assert bad.status_code == 400
    assert not Participant.objects.exists()


def test_decline_is_visible_to_the_coordinator(intervention, user, two_groups):
    first, second = invitations.invite(intervention, two_groups, user=user)
    response = signed_in(two_groups[1]).post(link_path(second), {"answer": "decline"})
    assert response.status_code == 302
    second.refresh_from_db()
    assert second.status == InvitationStatus.DECLINED and second.answered_at
    assert invitations.summary(intervention) == {
        "invited": 1,
        "accepted": 0,
        "declined": 1,
        "no_answer": 0,
    }
    assert not Participant.objects.exists()


def test_a_group_sees_and_answers_only_its_own_invitations(intervention, user, two_groups, demo):
    mine, theirs = invitations.invite(intervention, two_groups, user=user)
    client = signed_in(two_groups[0])
    assert client.get(link_path(theirs)).status_code == 404
    assert client.post(link_path(theirs), {"answer": "decline"}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == InvitationStatus.INVITED
    listing = client.get("/account/invitations/").content.decode()
    assert listing.count("registration-card") == 1
    # A forged or mangled link is the same 404 as another group's.
    assert client.get("/account/invitations/not-a-token/").status_code == 404
    assert client.get(link_path(mine)[:-3] + "xx/").status_code == 404


def test_signed_out_the_link_asks_to_sign_in_and_shows_nothing_of_the_group(
    intervention, user, two_groups
):
    invitation = invitations.invite(intervention, two_groups, user=user)[0]
    page = Client().get(link_path(invitation))
    assert page.status_code == 200
    body = page.content.decode()
    assert intervention.title in body
    assert two_groups[0].organisation_name not in body
    assert "/account/" in body
    assert Client().get("/account/invitations/").status_code == 302


def test_signing_in_from_the_link_comes_back_to_the_invitation(intervention, user, two_groups):
    invitation = invitations.invite(intervention, two_groups, user=user)[0]
    client = Client()
    path = link_path(invitation)
    page = client.get(path).content.decode()
    assert f'href="/account/?next={quote(path, safe="")}"' in page
    mobile = "0" + str(two_groups[0].mobile).removeprefix("+98")
    client.post("/account/", {"mobile": mobile, "next": path})
    code = re.search(r"\b(\d{6})\b", texts_to(two_groups[0])[-1][0].translate(LATIN)).group(1)
    answer = client.post("/account/code/", {"code": code})
    assert answer.status_code == 302
    assert answer["Location"] == path
    page = client.get(path)
    assert 'name="answer" value="accept"' in page.content.decode()
    assert two_groups[0].organisation_name in page.content.decode()


def test_one_reminder_after_three_days_then_no_answer(intervention, user, two_groups):
    first, second = invitations.invite(intervention, two_groups, user=user)
    invitations.decline(second, group=accounts.SignedInGroup(*_group(two_groups[1])))
    now = timezone.now()
    assert invitations.remind_due(now + timedelta(days=2)) == (0, 0)
    assert invitations.remind_due(now + timedelta(days=3, minutes=1)) == (1, 0)
    # Beat runs it again (and again): no second reminder.
    assert invitations.remind_due(now + timedelta(days=3, minutes=2)) == (0, 0)
    assert remind_invitations() == (0, 0)
    texts = texts_to(two_groups[0])
    assert len(texts) == 2 and "یادآوری" in texts[1][0]
    assert len(texts_to(two_groups[1])) == 1  # answered: never reminded
    assert invitations.remind_due(now + timedelta(days=8)) == (0, 1)
    first.refresh_from_db()
    assert first.status == InvitationStatus.NO_ANSWER
    assert invitations.summary(intervention)["no_answer"] == 1
    # A late answer is still welcome.
    invitations.accept(
        first, group=accounts.SignedInGroup(*_group(two_groups[0])), capacities=["venue"]
    )
    first.refresh_from_db()
    assert first.status == InvitationStatus.ACCEPTED


def test_no_reminder_for_a_closed_intervention(intervention, user, two_groups):
    invitations.invite(intervention, two_groups, user=user)
    type(intervention).objects.filter(pk=intervention.pk).update(
        stage="closed", outcome="resolved", closed_at=timezone.now()
    )
    assert invitations.remind_due(timezone.now() + timedelta(days=4))[0] == 0


# --- the coordinator's back office ------------------------------------------------------

ADMIN = "/admin/interventions/"


def test_the_coordinator_sees_matched_groups_invites_them_and_sees_the_answers(
    client, demo, two_groups
):
    user = coordinator()
    intervention = opened(demo, user=user)
    client.force_login(user)
    page = client.get(f"{ADMIN}inspect/{intervention.pk}/").content.decode()
    assert "کانون مهر" in page and "همین شهر" in page
    response = client.post(
        f"{ADMIN}invite/{intervention.pk}/",
        {"group": [str(g.public_id) for g in two_groups] + ["not-a-uuid"]},
    )
    assert response.status_code == 302
    assert Invitation.objects.filter(intervention=intervention).count() == 2
    assert all(len(texts_to(g)) == 1 for g in two_groups)
    # Invited again: nothing new, no second SMS.
    client.post(f"{ADMIN}invite/{intervention.pk}/", {"group": [str(two_groups[0].public_id)]})
    assert len(texts_to(two_groups[0])) == 1
    second = Invitation.objects.get(registration=two_groups[1])
    invitations.decline(second, group=accounts.SignedInGroup(*_group(two_groups[1])))
    page = client.get(f"{ADMIN}inspect/{intervention.pk}/").content.decode()
    assert f'id="invitation-{second.public_id}"' in page
    assert "رد شد" in page  # declined, in the coordinator's list
    # Invited groups are no longer offered as candidates.
    assert f'value="{two_groups[0].public_id}"' not in page


@pytest.mark.parametrize("who", ["editor", "manager"])
def test_editors_and_registration_managers_cannot_invite(client, request, demo, two_groups, who):
    intervention = opened(demo)
    client.force_login(request.getfixturevalue(who))
    response = client.post(
        f"{ADMIN}invite/{intervention.pk}/", {"group": [str(two_groups[0].public_id)]}
    )
    assert response.status_code == 403
    assert not Invitation.objects.exists()
    assert not texts_to(two_groups[0])


def test_the_groups_list_costs_the_same_queries_for_one_or_three_invitations(
    demo, user, two_groups
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    group = two_groups[0]
    client = signed_in(group)

    def count():
        with CaptureQueriesContext(connection) as queries:
            page = client.get("/account/invitations/")
        assert page.status_code == 200
        return len(queries), page.content.decode().count("registration-card")

    invitations.invite(opened(demo, user=user), [group], user=user)
    count()  # the first request fills per-process caches (site, settings)
    one, cards = count()
    assert cards == 1
    for _ in range(2):
        invitations.invite(opened(demo, user=user), [group], user=user)
    three, cards = count()
    assert cards == 3
    assert three == one <= 8
