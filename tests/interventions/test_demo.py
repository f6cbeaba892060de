"""The demo (make run): an intervention half-way, marked as a demo, that never texts anyone."""

import io

from django.core.management import call_command

import pytest

from interventions.choices import Stage
from interventions.demo import DEMO_MOBILES, DEMO_TITLE
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
    assert intervention.participants.count() == 3
    assert all("نمونه" in r.title for r in intervention.reports.all())
    assert not SmsMessage.objects.filter(recipient__in=DEMO_MOBILES, status="queued").exists()
    html = client.get(f"/interventions/{intervention.public_id}/").content.decode()
    assert "نمونه: هیئت جوانان انصار" in html and "نمونه: گروه مردمی ورزش محله" not in html
    assert "۳۳%" in html
    call_command("load_demo_content", stdout=io.StringIO())
    assert Intervention.objects.filter(title=DEMO_TITLE).count() == 1
