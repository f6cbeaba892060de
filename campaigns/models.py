import uuid

from django.core.validators import RegexValidator
from django.db import models
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import (
    FieldPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.api import APIField
from wagtail.contrib.forms.models import AbstractFormField
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail_localize.fields import SynchronizedField

from modelcluster.fields import ParentalKey

from search.indexing import PersianSearchField, page_text
from sitecache.lookups import ViewRestrictionsFromCache

from .api import RegistrationURLField
from .blocks import CampaignStreamBlock


class CampaignPage(ViewRestrictionsFromCache, Page):
    """One campaign: its story in StreamField blocks, and the SMS line people can text."""

    summary = models.TextField(
        _("summary"),
        blank=True,
        help_text=_("One or two sentences for listings and search results."),
    )
    sms_keyword = models.CharField(
        _("SMS keyword"),
        max_length=20,
        default="9",
        help_text=_("What people text to the SMS line to register, e.g. 9."),
    )
    sms_line = models.CharField(
        _("SMS line number"),
        max_length=20,
        default="30001152",
        validators=[
            RegexValidator(r"^[0-9۰-۹٠-٩]{4,20}$", _("Enter the line number in digits only."))
        ],
    )
    registration_open = models.BooleanField(_("registration open"), default=True)
    body = StreamField(CampaignStreamBlock(), blank=True, verbose_name=_("body"))

    parent_page_types = ["home.HomePage"]
    subpage_types = []
    template = "campaigns/campaign_page.html"

    search_fields = [
        *Page.search_fields,
        PersianSearchField("title", boost=2),
        PersianSearchField("search_text"),
    ]

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("body"),
    ]
    registration_panels = [
        MultiFieldPanel(
            [FieldPanel("sms_keyword"), FieldPanel("sms_line"), FieldPanel("registration_open")],
            heading=_("Registration by SMS and web"),
        ),
        InlinePanel(
            "form_fields",
            label=_("Extra questions"),
            heading=_("Extra questions on this campaign's registration form"),
        ),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading=_("Content")),
            ObjectList(registration_panels, heading=_("Registration")),
            ObjectList(Page.promote_panels, heading=_("Promote")),
            ObjectList(Page.settings_panels, heading=_("Settings")),
        ]
    )

    api_fields = [
        APIField("summary"),
        APIField("sms_keyword"),
        APIField("sms_line"),
        APIField("registration_open"),
        APIField("registration_url", serializer=RegistrationURLField()),
        APIField("form_fields"),
        APIField("body"),
    ]

    override_translatable_fields = [
        SynchronizedField("sms_keyword"),
        SynchronizedField("sms_line"),
        SynchronizedField("registration_open"),
    ]

    class Meta:
        verbose_name = _("campaign page")
        verbose_name_plural = _("campaign pages")

    def clean(self):
        super().clean()
        from persian.text import to_ascii_digits

        self.sms_keyword = to_ascii_digits(self.sms_keyword).strip()
        self.sms_line = to_ascii_digits(self.sms_line).strip()

    @property
    def registration_url(self) -> str | None:
        """The registration form's address, or None while registration is closed or not installed."""
        if not self.registration_open:
            return None
        try:
            return reverse("registrations:register", kwargs={"campaign_slug": self.slug})
        except NoReverseMatch:
            return None

    def search_text(self) -> str:
        """Summary and body as a reader sees them, the SMS keyword and line filled in.

        Indexed with Persian spellings folded (`PersianSearchField`); search results cut
        their highlighted snippets from it.
        """
        text = page_text(self, "summary", "body")
        return text.replace("{keyword}", self.sms_keyword).replace("{line}", self.sms_line)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["campaign"] = self
        return context


class CampaignFormField(AbstractFormField):
    """An extra question editors add to one campaign's registration form (Wagtail's form builder)."""

    page = ParentalKey(CampaignPage, on_delete=models.CASCADE, related_name="form_fields")

    override_translatable_fields = [SynchronizedField("clean_name")]

    api_fields = [
        APIField("clean_name"),
        APIField("label"),
        APIField("field_type"),
        APIField("required"),
        APIField("choices"),
        APIField("default_value"),
        APIField("help_text"),
    ]

    class Meta(AbstractFormField.Meta):
        verbose_name = _("extra question")
        verbose_name_plural = _("extra questions")

    def get_field_clean_name(self):
        # Wagtail derives the key from the label, which turns Persian labels into escaped
        # ASCII (u0646u0627…). A short random key, set once, stays stable when the label is
        # reworded or translated, so stored answers keep their question.
        return f"q_{uuid.uuid4().hex[:8]}"
