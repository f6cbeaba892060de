"""What a text to a campaign line means to registrations: the keyword starts one, else help.

Registered with the SMS gateway in RegistrationsConfig.ready().
"""

from django.conf import settings

from campaigns.models import CampaignPage
from persian.text import to_ascii_digits
from sms.choices import InboundOutcome
from sms.inbound import normalise_body, replied_recently
from sms.models import InboundSms
from sms.purposes import HELP

from .. import purposes, services
from ..choices import Status


def campaign_for(line: str, body: str) -> CampaignPage | None:
    """The live campaign whose line received the text and whose keyword the text is."""
    candidates = CampaignPage.objects.live().filter(
        locale__language_code=settings.LANGUAGE_CODE, registration_open=True
    )
    line_digits = to_ascii_digits(line or "").lstrip("+")
    for campaign in candidates:
        if normalise_body(campaign.sms_keyword) != body:
            continue
        if not line_digits or line_digits.endswith(campaign.sms_line):
            return campaign
    return None


def keyword(inbound: InboundSms, mobile: str, body: str) -> str | None:
    """A campaign's keyword: a phone-verified draft and a link to finish the form."""
    campaign = campaign_for(inbound.receiver, body)
    if campaign is None:
        return None
    registration, created = services.start_from_inbound_sms(campaign=campaign, mobile=mobile)
    inbound.subject = registration
    # One reply per window to a number, a link or a receipt alike: ten texts, one SMS.
    if not created and replied_recently(mobile, purposes.LINK, purposes.RECEIPT):
        return InboundOutcome.REPEAT
    if registration.status in (Status.DRAFT, Status.AWAITING_CONFIRMATION):
        text = services.render_sms(
            "link", registration.language, link=services.sms_link_url(registration)
        )
        services.queue_for(registration, text=text, purpose=purposes.LINK)
    else:
        # Already registered: remind them of their tracking code instead of a new form.
        services.send_receipt(registration)
    return InboundOutcome.KEYWORD


def help_reply(inbound: InboundSms, mobile: str, body: str) -> str:
    """Any other text: how to register (at most once per reply window)."""
    if replied_recently(mobile, HELP):
        return InboundOutcome.IGNORED
    campaign = (
        CampaignPage.objects.live()
        .filter(locale__language_code=settings.LANGUAGE_CODE, registration_open=True)
        .first()
    )
    services.queue_sms(
        recipient=mobile,
        text=services.render_sms(
            "help", settings.LANGUAGE_CODE, keyword=campaign.sms_keyword if campaign else "9"
        ),
        purpose=HELP,
    )
    return InboundOutcome.HELP
