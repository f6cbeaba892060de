import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

from phonenumber_field.modelfields import PhoneNumberField

from registrations.choices import ActivityField, Capacity, Province

from .choices import (
    OPEN_STATUSES,
    PUBLIC_STATUSES,
    PeopleAffected,
    ReportSource,
    ReportStatus,
    Since,
)


class Named(models.Model):
    """A taxonomy entry with a Persian and an English name, ordered and switchable off."""

    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    name_fa = models.CharField(_("Persian name"), max_length=120)
    name_en = models.CharField(_("English name"), max_length=120)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(
        _("active"), default=True, help_text=_("Inactive entries are not offered on new reports.")
    )

    class Meta:
        abstract = True
        ordering = ["sort_order", "pk"]

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if get_language() == "en" else self.name_fa


class ProblemCategory(Named):
    class Meta(Named.Meta):
        verbose_name = _("problem category")
        verbose_name_plural = _("problem categories")


class Problem(Named):
    """A social problem of the taxonomy; what addresses it is used to match groups."""

    category = models.ForeignKey(
        ProblemCategory,
        verbose_name=_("category"),
        on_delete=models.PROTECT,
        related_name="problems",
    )
    fields_of_activity = models.JSONField(
        _("fields of activity that address it"), default=list, blank=True
    )
    capacities = models.JSONField(_("capacities that address it"), default=list, blank=True)

    class Meta(Named.Meta):
        verbose_name = _("social problem")
        verbose_name_plural = _("social problems")

    def clean(self):
        from django.core.exceptions import ValidationError

        errors = {}
        if set(self.fields_of_activity or []) - set(ActivityField.values):
            errors["fields_of_activity"] = _("Unknown field of activity.")
        if set(self.capacities or []) - set(Capacity.values):
            errors["capacities"] = _("Unknown capacity.")
        if errors:
            raise ValidationError(errors)


class Report(models.Model):
    """A social problem of a place, reported by a citizen (confirmed mobile) or a group."""

    wagtail_reference_index_ignore = True  # personal data, not content

    number = models.CharField(_("report number"), max_length=8, unique=True)
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    problem = models.ForeignKey(
        Problem, verbose_name=_("problem"), on_delete=models.PROTECT, related_name="reports"
    )
    title = models.CharField(_("title"), max_length=150)
    description = models.TextField(_("description"), max_length=4000)
    province = models.CharField(_("province"), max_length=24, choices=Province.choices)
    city = models.CharField(_("county or city"), max_length=100)
    neighbourhood = models.CharField(_("neighbourhood or village"), max_length=150, blank=True)
    people_affected = models.CharField(
        _("people it touches"), max_length=10, choices=PeopleAffected.choices
    )
    since = models.CharField(_("since when"), max_length=10, choices=Since.choices)
    tried = models.TextField(_("what has been tried"), max_length=2000, blank=True)
    may_contact = models.BooleanField(_("the reporter may be contacted"), default=False)

    status = models.CharField(
        _("status"), max_length=20, choices=ReportStatus.choices, default=ReportStatus.NEW
    )
    source = models.CharField(_("source"), max_length=8, choices=ReportSource.choices)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    # The reporter: personal data, shown to moderators only.
    reporter_mobile = PhoneNumberField(_("reporter's mobile"), region="IR")
    group = models.ForeignKey(
        "registrations.Registration",
        verbose_name=_("reporting group"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="problem_reports",
    )
    show_group_name = models.BooleanField(_("the group's name may be shown"), default=False)

    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="merged_reports",
    )
    # Title and description folded by persian.text.normalize: search and duplicate lookup.
    search_text = models.TextField(blank=True, default="", editable=False)

    support_count = models.PositiveIntegerField(_("supports"), default=0)
    group_support_count = models.PositiveIntegerField(_("supporting groups"), default=0)
    city_support_count = models.PositiveIntegerField(_("supporting cities"), default=0)
    priority = models.PositiveIntegerField(_("priority score"), default=0)

    created_at = models.DateTimeField(_("reported"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    verified_at = models.DateTimeField(_("verified"), null=True, blank=True)

    class Meta:
        verbose_name = _("problem report")
        verbose_name_plural = _("problem reports")
        ordering = ["-created_at", "-pk"]
        permissions = [("moderate_report", _("Can verify, reject, merge and resolve reports"))]
        indexes = [
            models.Index(fields=["status", "-created_at"], name="report_status_created"),
            models.Index(fields=["status", "-priority"], name="report_status_priority"),
            models.Index(
                fields=["province", "problem", "status", "-priority"], name="report_place_problem"
            ),
            models.Index(fields=["problem", "city", "status"], name="report_duplicates"),
            # The public list's sorts, on public reports only (bench/README.md: at 200,000
            # reports an unfiltered page sorted 140,000 rows, a filtered one thousands).
            models.Index(
                fields=["-priority", "-verified_at", "-id"],
                condition=Q(status__in=PUBLIC_STATUSES),
                name="report_public_priority",
            ),
            models.Index(
                fields=["-verified_at", "-id"],
                condition=Q(status__in=PUBLIC_STATUSES),
                name="report_public_recent",
            ),
            models.Index(
                fields=["province", "problem", "-priority", "-verified_at", "-id"],
                condition=Q(status__in=PUBLIC_STATUSES),
                name="report_public_place",
            ),
            models.Index(
                fields=["province", "problem", "-verified_at", "-id"],
                condition=Q(status__in=PUBLIC_STATUSES),
                name="report_public_place_recent",
            ),
            # The duplicate lookup's candidates: the newest open reports of a problem in a city.
            models.Index(
                fields=["problem", "city", "-created_at"],
                condition=Q(status__in=OPEN_STATUSES),
                name="report_open_recent",
            ),
        ]

    def __str__(self):
        # The number first: the audit log's label, never a formula in a spreadsheet.
        return f"{self.number} — {self.title}"

    @property
    def is_public(self) -> bool:
        return self.status in PUBLIC_STATUSES

    def public_group_name(self) -> str:
        if self.group_id and self.show_group_name:
            return self.group.organisation_name
        return ""


def photo_path(photo, filename):
    # A random name: the reporter's own file name may carry a name or a place.
    return f"problems/{uuid.uuid4().hex}.jpg"


class ReportPhoto(models.Model):
    wagtail_reference_index_ignore = True

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(
        _("photo"), upload_to=photo_path, width_field="width", height_field="height"
    )
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("photo")
        ordering = ["pk"]

    def __str__(self):
        return f"{self.report.number} #{self.pk}"


class Support(models.Model):
    """ "We see this too": once per mobile and once per group for a report."""

    wagtail_reference_index_ignore = True

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="supports")
    mobile = PhoneNumberField(_("mobile"), region="IR", null=True, blank=True)
    group = models.ForeignKey(
        "registrations.Registration",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    city = models.CharField(_("city"), max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["report", "mobile"],
                condition=Q(group__isnull=True),
                name="one_support_per_mobile",
            ),
            models.UniqueConstraint(
                fields=["report", "group"],
                condition=Q(group__isnull=False),
                name="one_support_per_group",
            ),
            models.CheckConstraint(
                condition=Q(mobile__isnull=False) | Q(group__isnull=False),
                name="support_has_a_supporter",
            ),
        ]

    def __str__(self):
        return f"{self.report_id} ← {self.group_id or 'mobile'}"


class StatusChange(models.Model):
    """The report's public history: each status it reached, when, and the reason if rejected."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="history")
    status = models.CharField(max_length=20, choices=ReportStatus.choices)
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.report_id}: {self.status}"


class MobileCheck(models.Model):
    """A mobile a visitor asked to confirm before reporting: the code, as a keyed hash."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    mobile = PhoneNumberField(region="IR")
    code_hash = models.CharField(max_length=64, blank=True)
    code_expires_at = models.DateTimeField(null=True, blank=True)
    code_attempts = models.PositiveSmallIntegerField(default=0)
    verified_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return str(self.public_id)


PLACEHOLDERS = {
    "code": "{code}",
    "receipt": "{number}",
    "status": "{number}",
    "link": "{link}",
}


@register_setting(icon="warning")
class ProblemSmsTexts(BaseSiteSetting):
    """The problems keyword and the words of the SMS the register sends, in both languages."""

    keyword = models.CharField(
        _("SMS keyword for reporting a problem"),
        max_length=20,
        default="مسئله",
        help_text=_("Texting this (or 2) to the campaign line replies with a link to the form."),
    )
    code_fa = models.CharField(
        _("confirmation code (Persian)"),
        max_length=300,
        default="کد تأیید گزارش مسئله در طرح نهضت: {code}",
    )
    code_en = models.CharField(
        _("confirmation code (English)"),
        max_length=300,
        default="Your problem report code: {code}",
    )
    receipt_fa = models.CharField(
        _("report number (Persian)"),
        max_length=300,
        default="گزارش شما ثبت شد. شماره گزارش: {number} پیگیری: {link}",
    )
    receipt_en = models.CharField(
        _("report number (English)"),
        max_length=300,
        default="Your report is in. Number: {number} Follow it: {link}",
    )
    status_fa = models.CharField(
        _("status change (Persian)"),
        max_length=300,
        default="وضعیت گزارش {number}: {status} {reason}",
    )
    status_en = models.CharField(
        _("status change (English)"),
        max_length=300,
        default="Report {number}: {status} {reason}",
    )
    link_fa = models.CharField(
        _("link to the report form (Persian)"),
        max_length=300,
        default="برای گزارش یک مسئله اجتماعی این فرم را پر کنید: {link}",
    )
    link_en = models.CharField(
        _("link to the report form (English)"),
        max_length=300,
        default="Report a social problem here: {link}",
    )

    class Meta:
        verbose_name = _("problem SMS texts")

    def text_for(self, purpose: str, language: str) -> str:
        return getattr(self, f"{purpose}_{'en' if language == 'en' else 'fa'}")

    def clean(self):
        from django.core.exceptions import ValidationError

        errors = {}
        for purpose, placeholder in PLACEHOLDERS.items():
            for language in ("fa", "en"):
                field = f"{purpose}_{language}"
                if placeholder not in getattr(self, field):
                    errors[field] = _("This text must contain %(placeholder)s.") % {
                        "placeholder": placeholder
                    }
        if errors:
            raise ValidationError(errors)
