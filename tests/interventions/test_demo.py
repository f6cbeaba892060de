"""The demo (make run): an intervention half-way, marked as a demo, that never texts anyone."""

import io

from django.core.management import call_command

import pytest

from interventions.choices import Stage
from interventions.demo import DEMO_MOBILES, DEMO_TITLE, INVITED
from interventions.invitation_models import Invitation
from interventions.models import Intervention
from interventions.services import stages
from sms.models import SmsMessage


pytestmark = pytest.mark.django_db


def test_load_demo_content_adds_one_intervention_mid_way_once(client, demo):
    out = io.StringIO()
    call_command("load_demo_content", stdout=out)
    assert "Demo intervention" in out.getvalue()
    intervention = Intervention.objects.get(title=DEMO_TITLE)
    assert intervention.stage == Stage.IMPLEMENTATION
    assert stages.progress(intervention) == 33
    assert intervention.participants.count() == 4
    assert all("نمونه" in r.title for r in intervention.reports.all())
    assert not SmsMessage.objects.filter(recipient__in=DEMO_MOBILES, status="queued").exists()
    html = client.get(f"/interventions/{intervention.public_id}/").content.decode()
    assert "نمونه: هیئت جوانان انصار" in html and "نمونه: گروه مردمی ورزش محله" not in html
    assert "۳۳%" in html
    call_command("load_demo_content", stdout=io.StringIO())
    assert Intervention.objects.filter(title=DEMO_TITLE).count() == 1


def test_the_demo_intervention_has_one_accepted_and_one_waiting_invitation_once(client, demo):
    call_command("load_demo_content", stdout=io.StringIO())
    intervention = Intervention.objects.get(title=DEMO_TITLE)
    answers = dict(
        Invitation.objects.filter(intervention=intervention).values_list(
            "registration__organisation_name", "status"
        )
    )
    assert answers == {INVITED[0][0]: "accepted", INVITED[1][0]: "invited"}
    assert all("نمونه" in name for name in answers)
    assert intervention.participants.filter(registration__organisation_name=INVITED[0][0]).exists()
    # Invited, yet never texted: the demo's mobiles are opted out.
    assert not SmsMessage.objects.filter(recipient__in=DEMO_MOBILES, status="queued").exists()
    html = client.get(f"/interventions/{intervention.public_id}/").content.decode()
    assert INVITED[0][0] in html and INVITED[1][0] not in html
    call_command("load_demo_content", stdout=io.StringIO())
    assert Invitation.objects.filter(intervention=intervention).count() == 2
    assert intervention.participants.count() == 4


def test_a_demo_loaded_before_invitations_gets_them_on_the_next_run(demo):
    call_command("load_demo_content", stdout=io.StringIO())
    intervention = Intervention.objects.get(title=DEMO_TITLE)
    Invitation.objects.all().delete()
    intervention.participants.filter(registration__organisation_name=INVITED[0][0]).delete()
    out = io.StringIO()
    call_command("load_demo_content", stdout=out)
    assert "Demo invitations" in out.getvalue()
    assert Invitation.objects.filter(intervention=intervention).count() == 2
    assert intervention.participants.count() == 4
    assert Intervention.objects.filter(title=DEMO_TITLE).count() == 1
