"""factory_boy factories shared by the test suite."""

from django.utils.html import escape

from wagtail.models import Site

import factory
import wagtail_factories

from campaigns.models import CampaignPage


def hero_value(**overrides):
    value = {
        "title": "طرح آزمایشی",
        "audience": "ویژه گروه‌های مردمی",
        "lead": "برای شرکت:",
        "register_label": "ثبت نام",
        "alternative_label": "و یا",
        "sms_instruction": "عدد {keyword} را به شماره {line} ارسال نمایید",
    }
    value.update(overrides)
    return value


def goals_value(*titles):
    return {
        "heading": "اهداف",
        "goals": [{"title": title, "text": f"متن {title}", "image": None} for title in titles],
    }


class CampaignPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"کمپین {n}")
    slug = factory.Sequence(lambda n: f"campaign-{n}")
    sms_keyword = "9"
    sms_line = "30001152"

    class Meta:
        model = CampaignPage
        skip_postgeneration_save = True

    @factory.lazy_attribute
    def parent(self):
        return Site.objects.get(is_default_site=True).root_page.specific

    @factory.post_generation
    def body(obj, create, extracted, **kwargs):
        obj.body = (
            extracted
            if extracted is not None
            else [
                {"type": "hero", "value": hero_value(title=obj.title)},
                {"type": "goals", "value": goals_value("هدف یک", "هدف دو")},
            ]
        )
        if create:
            obj.save()
            obj.save_revision().publish()


def registration_form_data(**overrides):
    """A complete, valid registration form as a visitor would type it (Persian digits)."""
    from registrations.forms import form_started_token

    data = {
        "kind": "ngo",
        "organisation_name": "انجمن یاوران محله",
        "national_id": "۱۰۳۸۰۲۸۴۷۹۰",
        "permit_number": "۱۲۳۴۵",
        "province": "tehran",
        "city": "تهران",
        "fields_of_activity": ["social_harm", "education"],
        "capacities": ["volunteers", "venue"],
        "experience": "ده سال کار با کودکان کار",
        "years_active": "۱۰",
        "member_count": "۴۵",
        "representative_name": "مریم احمدی",
        "mobile": "۰۹۱۲۳۴۵۶۷۸۹",
        "national_code": "۰۴۹۹۳۷۰۸۹۹",
        "email": "info@example.org",
        "consent": "on",
        "website": "",
        "started": form_started_token(),
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def text_section_value(text, heading="درباره طرح", kicker=""):
    """A text section block whose body is `text` as one paragraph (escaped)."""
    return {"kicker": kicker, "heading": heading, "body": f"<p>{escape(text)}</p>"}


def text_campaign(title, text, **kwargs):
    """A published campaign whose only body block is a text section holding `text`."""
    return CampaignPageFactory(
        title=title,
        body=[{"type": "rich_text_section", "value": text_section_value(text)}],
        **kwargs,
    )


def sms_for(registration, **fields):
    """An outbox row sent for `registration`, as the services write it."""
    from sms.models import SmsMessage

    fields.setdefault("recipient", registration.mobile)
    return SmsMessage.objects.create(subject=registration, **fields)
