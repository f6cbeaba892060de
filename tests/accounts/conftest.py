import re

import pytest

from sms.models import SmsMessage
from tests.backoffice import (  # noqa: F401 - manager fixtures for every accounts test
    make_registration,
    manager,
    manager_client,
)
from tests.factories import CampaignPageFactory


REPRESENTATIVE = "+989121110001"
STRANGER = "+989351119999"


@pytest.fixture
def campaign(bare_site):
    return CampaignPageFactory()


@pytest.fixture
def registration(campaign):
    return make_registration(campaign, mobile=REPRESENTATIVE)


def codes_sent_to(mobile) -> list[str]:
    """The 6-digit codes in the SMS queued for `mobile`, oldest first."""
    texts = (
        SmsMessage.objects.filter(recipient=mobile).order_by("pk").values_list("text", flat=True)
    )
    return [re.search(r"\d{6}", text)[0] for text in texts if re.search(r"\d{6}", text)]


def last_code(mobile) -> str:
    return codes_sent_to(mobile)[-1]
