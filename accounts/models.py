"""A registered group's account: who may sign in for it, and the codes they were sent."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

from phonenumber_field.modelfields import PhoneNumberField


class GroupAccount(models.Model):
    """A group, known by its representative's mobile: its registrations are that mobile's."""

    mobile = PhoneNumberField(_("representative's mobile"), region="IR", unique=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("group account")
        verbose_name_plural = _("group accounts")

    def __str__(self):
        from persian.phones import masked

        return masked(self.mobile)


class Member(models.Model):
    """A person who signs in for a group: a Django user with no password and no admin access."""

    class Role(models.TextChoices):
        REPRESENTATIVE = "representative", _("Representative")
        CO_MEMBER = "co_member", _("Co-member")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="group_member"
    )
    group = models.ForeignKey(
        GroupAccount, verbose_name=_("group"), on_delete=models.CASCADE, related_name="members"
    )
    mobile = PhoneNumberField(_("mobile"), region="IR", unique=True)
    name = models.CharField(_("name"), max_length=150, blank=True)
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_sign_in_at = models.DateTimeField(_("last signed in"), null=True, blank=True)

    class Meta:
        verbose_name = _("group member")
        verbose_name_plural = _("group members")

    def __str__(self):
        from persian.phones import masked

        return masked(self.mobile)


class SignInCode(models.Model):
    """A 6-digit code (or a link's secret) sent to a mobile to sign in, kept as a keyed hash."""

    class Kind(models.TextChoices):
        CODE = "code", _("Code")
        LINK = "link", _("Link")
        MOBILE_CHANGE = "mobile", _("New representative's mobile")

    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.CODE)
    mobile = PhoneNumberField(region="IR", db_index=True)
    code_hash = models.CharField(max_length=64)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["mobile", "-created_at"])]

    def __str__(self):
        from persian.phones import masked

        return masked(self.mobile)


class CoMemberInvite(models.Model):
    """A co-member the representative is adding, until the code sent to their mobile is typed."""

    group = models.ForeignKey(GroupAccount, on_delete=models.CASCADE, related_name="invites")
    name = models.CharField(_("name"), max_length=150)
    mobile = PhoneNumberField(_("mobile"), region="IR")
    code_hash = models.CharField(max_length=64)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return self.name


@register_setting(icon="key")
class AccountTexts(BaseSiteSetting):
    """The words of the sign-in SMS and the keyword that asks for a sign-in link."""

    keyword = models.CharField(
        _("sign-in keyword"),
        max_length=20,
        default="ورود",
        help_text=_("Texting this word to the campaign line replies with a sign-in link."),
    )
    code_fa = models.CharField(
        _("sign-in code (Persian)"),
        max_length=300,
        default="کد ورود شما به حساب گروه در طرح نهضت: {code}",
    )
    code_en = models.CharField(
        _("sign-in code (English)"),
        max_length=300,
        default="Your Social Participation Movement sign-in code: {code}",
    )
    link_fa = models.CharField(
        _("sign-in link (Persian)"),
        max_length=300,
        default="برای ورود به حساب گروه در طرح نهضت: {link}",
    )
    link_en = models.CharField(
        _("sign-in link (English)"),
        max_length=300,
        default="Sign in to your group's account: {link}",
    )

    mobile_changed_fa = models.CharField(
        _("representative's mobile changed, to the old number (Persian)"),
        max_length=300,
        default="شمارهٔ نمایندهٔ گروه شما در طرح نهضت به {mobile} تغییر کرد.",
    )
    mobile_changed_en = models.CharField(
        _("representative's mobile changed, to the old number (English)"),
        max_length=300,
        default="Your group's representative mobile was changed to {mobile}.",
    )

    class Meta:
        verbose_name = _("account SMS texts")

    def clean(self):
        from django.core.exceptions import ValidationError

        errors = {}
        for field, placeholder in (
            ("code_fa", "{code}"),
            ("code_en", "{code}"),
            ("link_fa", "{link}"),
            ("link_en", "{link}"),
            ("mobile_changed_fa", "{mobile}"),
            ("mobile_changed_en", "{mobile}"),
        ):
            if placeholder not in getattr(self, field):
                errors[field] = _("This text must contain %(placeholder)s.") % {
                    "placeholder": placeholder
                }
        if errors:
            raise ValidationError(errors)

    def text_for(self, purpose: str, language: str) -> str:
        return getattr(self, f"{purpose}_{'en' if language == 'en' else 'fa'}")


# What a group may change about itself, in the order the profile form shows it.
PROFILE_FIELDS = (
    "representative_name",
    "city",
    "email",
    "fields_of_activity",
    "capacities",
    "experience",
    "member_count",
    "years_active",
)


class ProposedChange(models.Model):
    """A group's edit to an approved registration, in force only once staff accept it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for review")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        SUPERSEDED = "superseded", _("Replaced by a newer proposal")

    registration = models.ForeignKey(
        "registrations.Registration",
        verbose_name=_("registration"),
        on_delete=models.CASCADE,
        related_name="proposed_changes",
    )
    member = models.ForeignKey(
        Member, verbose_name=_("proposed by"), null=True, on_delete=models.SET_NULL
    )
    # {field: {"old": value, "new": value}}
    changes = models.JSONField(_("changes"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PENDING
    )
    created_at = models.DateTimeField(_("proposed"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("proposed change")
        verbose_name_plural = _("proposed changes")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "-created_at"])]

    def __str__(self):
        return f"{self.registration.tracking_code} — {self.get_status_display()}"


class ApiToken(models.Model):
    """A member's API token (`Authorization: Bearer …`), kept only as a hash; it lives as long
    as a member's session (ACCOUNT_SESSION_AGE) and dies with sign-out or the member."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self):
        return str(self.member)
