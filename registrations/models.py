import uuid

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

from phonenumber_field.modelfields import PhoneNumberField

from persian.ids import validate_legal_id, validate_national_code
from sms.models import SmsMessage

from .choices import (
    ActivityField,
    Capacity,
    Kind,
    Province,
    Source,
    Status,
)
from .panels import SmsTextPanel


# What a visitor gives (web form, API, SMS link), in the order forms, the inspect view and
# exports show it; the campaign's extra questions come after, in `extra_answers`.
VISITOR_FIELDS = (
    "kind",
    "organisation_name",
    "national_id",
    "permit_number",
    "province",
    "city",
    "fields_of_activity",
    "capacities",
    "experience",
    "years_active",
    "member_count",
    "representative_name",
    "mobile",
    "national_code",
    "email",
    "consent",
)


class Registration(models.Model):
    """A popular group, NGO or facilitator signed up to a campaign, confirmed by SMS."""

    # Personal data, not content: never listed as a "usage" of a campaign page, and no
    # reference-index rows (and queries) for every registration and SMS.
    wagtail_reference_index_ignore = True

    campaign = models.ForeignKey(
        "campaigns.CampaignPage",
        verbose_name=_("campaign"),
        on_delete=models.PROTECT,
        related_name="registrations",
        help_text=_("Always the campaign's original (Persian) page, whatever the form's language."),
    )
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    tracking_code = models.CharField(_("tracking code"), max_length=8, unique=True)
    status = models.CharField(
        _("status"), max_length=24, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    source = models.CharField(_("source"), max_length=8, choices=Source.choices)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)

    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices, blank=True)
    organisation_name = models.CharField(_("organisation name"), max_length=200, blank=True)
    national_id = models.CharField(
        _("organisation national id"),
        max_length=11,
        blank=True,
        validators=[validate_legal_id],
    )
    permit_number = models.CharField(_("permit or registration number"), max_length=50, blank=True)
    province = models.CharField(_("province"), max_length=24, choices=Province.choices, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    fields_of_activity = models.JSONField(_("fields of activity"), default=list, blank=True)
    capacities = models.JSONField(_("capacities"), default=list, blank=True)
    experience = models.TextField(_("experience and expertise"), blank=True)
    years_active = models.PositiveSmallIntegerField(_("years active"), null=True, blank=True)
    member_count = models.PositiveIntegerField(_("number of members"), null=True, blank=True)

    representative_name = models.CharField(
        _("representative's full name"), max_length=150, blank=True
    )
    mobile = PhoneNumberField(_("mobile"), region="IR")
    national_code = models.CharField(
        _("national code"), max_length=10, blank=True, validators=[validate_national_code]
    )
    email = models.EmailField(_("email"), blank=True)
    consent = models.BooleanField(_("consented to the privacy notice"), default=False)
    extra_answers = models.JSONField(
        _("answers to the campaign's questions"), default=dict, blank=True
    )

    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    phone_verified_at = models.DateTimeField(_("mobile verified"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    # The current verification code, stored only as a keyed hash.
    code_hash = models.CharField(max_length=64, blank=True, editable=False)
    code_expires_at = models.DateTimeField(null=True, blank=True, editable=False)
    code_attempts = models.PositiveSmallIntegerField(default=0, editable=False)

    # Names folded by persian.text.normalize, for the admin search; kept by a pre_save
    # signal (registrations/search_text.py) so every save path fills it.
    search_text = models.TextField(blank=True, default="", editable=False)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["-created_at"]
        permissions = [
            ("review_registration", _("Can approve, reject and resend SMS for registrations")),
            ("export_registration", _("Can export registrations")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "mobile"], name="one_registration_per_mobile_per_campaign"
            ),
            models.CheckConstraint(
                condition=Q(status__in=[Status.DRAFT, Status.AWAITING_CONFIRMATION])
                | Q(consent=True),
                name="confirmed_registrations_have_consent",
            ),
        ]
        indexes = [
            models.Index(fields=["campaign", "status", "-created_at"]),
            models.Index(fields=["province", "-created_at"]),
        ]

    def __str__(self):
        # The tracking code first: this is the audit log's label, exported to spreadsheets,
        # and a name (public input) may start with "=", "+", "-" or "@", read as a formula.
        return f"{self.tracking_code} — {self.organisation_name or self.representative_name or self.mobile}"

    @property
    def sms_messages(self):
        """The SMS sent for this registration (it is their `subject`)."""
        return SmsMessage.objects.filter(
            subject_type=ContentType.objects.get_for_model(Registration), subject_id=self.pk
        )

    @property
    def display_name(self) -> str:
        return self.organisation_name or self.representative_name

    def get_kind_label(self):
        return Kind(self.kind).label if self.kind else ""

    def activity_labels(self) -> list[str]:
        return [str(ActivityField(code).label) for code in self.fields_of_activity]

    def capacity_labels(self) -> list[str]:
        return [str(Capacity(code).label) for code in self.capacities]


PLACEHOLDERS = {
    "verification": "{code}",
    "receipt": "{tracking_code}",
    "link": "{link}",
    "help": "{keyword}",
    "opt_out": "",
}


@register_setting(icon="mail")
class SmsTexts(BaseSiteSetting):
    """The words of every SMS the campaign sends, editable by staff, in both languages.

    Persian SMS fit 70 characters in one part and 67 per part beyond; the admin shows how
    many parts each text costs with its placeholders filled in.
    """

    verification_fa = models.CharField(
        _("verification code (Persian)"),
        max_length=300,
        default="کد تأیید ثبت‌نام شما در طرح نهضت مشارکت اجتماعی: {code}",
    )
    verification_en = models.CharField(
        _("verification code (English)"),
        max_length=300,
        default="Your Social Participation Movement code: {code}",
    )
    receipt_fa = models.CharField(
        _("receipt (Persian)"),
        max_length=300,
        default="ثبت‌نام شما در طرح نهضت تأیید شد. کد پیگیری: {tracking_code}",
    )
    receipt_en = models.CharField(
        _("receipt (English)"),
        max_length=300,
        default="Your registration is confirmed. Tracking code: {tracking_code}",
    )
    link_fa = models.CharField(
        _("link to finish the form (Persian)"),
        max_length=300,
        default="برای ثبت‌نام در طرح نهضت، فرم را کامل کنید: {link}",
    )
    link_en = models.CharField(
        _("link to finish the form (English)"),
        max_length=300,
        default="Finish your registration here: {link}",
    )
    help_fa = models.CharField(
        _("help reply (Persian)"),
        max_length=300,
        default="برای ثبت‌نام در طرح نهضت عدد {keyword} را بفرستید. لغو پیامک‌ها: لغو",
    )
    help_en = models.CharField(
        _("help reply (English)"),
        max_length=300,
        default="To register, text {keyword}. To stop these messages, text لغو",
    )
    opt_out_fa = models.CharField(
        _("opt-out confirmation (Persian)"),
        max_length=300,
        default="دیگر پیامکی از طرح نهضت برایتان فرستاده نمی‌شود.",
    )
    opt_out_en = models.CharField(
        _("opt-out confirmation (English)"),
        max_length=300,
        default="You will get no more messages from the campaign.",
    )

    panels = [
        SmsTextPanel(f"{purpose}_{language}")
        for purpose in PLACEHOLDERS
        for language in ("fa", "en")
    ]

    class Meta:
        verbose_name = _("SMS texts")

    def text_for(self, purpose: str, language: str) -> str:
        field = f"{purpose}_{'en' if language == 'en' else 'fa'}"
        return getattr(self, field)

    def clean(self):
        from django.core.exceptions import ValidationError

        errors = {}
        for purpose, placeholder in PLACEHOLDERS.items():
            for language in ("fa", "en"):
                field = f"{purpose}_{language}"
                if placeholder and placeholder not in getattr(self, field):
                    errors[field] = _("This text must contain %(placeholder)s.") % {
                        "placeholder": placeholder
                    }
        if errors:
            raise ValidationError(errors)


def registration_of(message) -> Registration | None:
    """The registration an SMS row was sent for, or None (a help reply, an opt-out, deleted)."""
    subject = message.subject
    return subject if isinstance(subject, Registration) else None


# The trigger-kept counts behind the dashboard live with their SQL (registrations/summaries.py).
from .export_jobs import ExportJob  # noqa: E402, F401 - background exports (export_jobs.py)
from .summaries import RegistrationSummary  # noqa: E402, F401
