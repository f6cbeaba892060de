"""What a text of the problems keyword means: a reply with a signed link to the report form.

Registered with the SMS gateway in ProblemsConfig.ready(). The text came from the mobile,
so the link opens the form with that mobile already verified.
"""

from django.conf import settings

from sms.choices import InboundOutcome
from sms.inbound import normalise_body, replied_recently
from sms.models import InboundSms
from sms.outbox import queue_sms

from ..purposes import REPORT_LINK
from . import form_link_url, render_sms, sms_texts


# "2" always works beside the staff-set word: a number is what a basic phone can type fast.
ALWAYS = "2"


def keyword(inbound: InboundSms, mobile: str, body: str) -> str | None:
    if body not in {normalise_body(sms_texts().keyword), ALWAYS}:
        return None
    # One link per window to a number: ten texts, one SMS.
    if replied_recently(mobile, REPORT_LINK):
        return InboundOutcome.REPEAT
    language = settings.LANGUAGE_CODE
    queue_sms(
        recipient=mobile,
        text=render_sms("link", language, link=form_link_url(mobile, language)),
        purpose=REPORT_LINK,
    )
    return InboundOutcome.KEYWORD
