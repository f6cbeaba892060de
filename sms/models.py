"""The SMS gateway's rows: the outbox, received texts, opt-outs and the pause switch.

The tables keep the names they had in `registrations` (moved with SeparateDatabaseAndState,
so no row moved). A message or a received text may name its `subject`, the thing an app sent
it for (a registration, say): a generic reference the gateway stores and never follows.
"""

import secrets

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from phonenumber_field.modelfields import PhoneNumberField

from . import purposes
from .choices import InboundOutcome, SmsStatus


def new_idempotency_key() -> int:
    """A random positive 63-bit number (Kavenegar's `localid` is a Long)."""
    return secrets.randbits(62) + 1


class SmsMessage(models.Model):
    """One outbound SMS: the outbox row written in the same transaction as what caused it."""

    wagtail_reference_index_ignore = True  # personal data: kept out of Wagtail's reference index

    recipient = PhoneNumberField(_("recipient"), region="IR", db_index=True)
    # What an app sent it for; no database cascade, so deleting the subject keeps the row.
    subject_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    subject_id = models.PositiveBigIntegerField(null=True, blank=True)
    subject = GenericForeignKey("subject_type", "subject_id")
    text = models.TextField(_("text"))
    # Each app declares its own purposes (sms.purposes), so the gateway lists none of theirs.
    purpose = models.CharField(
        _("purpose"), max_length=purposes.MAX_LENGTH, choices=purposes.choices
    )
    status = models.CharField(
        _("status"), max_length=12, choices=SmsStatus.choices, default=SmsStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    provider = models.CharField(_("provider"), max_length=20, blank=True)
    provider_message_id = models.CharField(_("provider message id"), max_length=64, blank=True)
    # Kavenegar's `localid`: a send repeated with it is dropped by the provider. Random, not
    # the row id: after a database restore, or with staging on the same account, row ids
    # repeat, and the provider would silently drop the new message as a repeat of an old one.
    idempotency_key = models.BigIntegerField(
        _("idempotency key"), unique=True, default=new_idempotency_key, editable=False
    )
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)

    class Meta:
        db_table = "registrations_smsmessage"
        verbose_name = _("SMS message")
        verbose_name_plural = _("SMS messages")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"]),
            models.Index(fields=["recipient", "purpose", "-created_at"]),
            models.Index(fields=["subject_type", "subject_id"]),
        ]

    def __str__(self):
        return f"{self.get_purpose_display()} → {self.recipient} ({self.get_status_display()})"


class InboundSms(models.Model):
    """A text received on a campaign line, kept once per provider message id."""

    wagtail_reference_index_ignore = True  # personal data: kept out of Wagtail's reference index

    provider = models.CharField(_("provider"), max_length=20)
    provider_message_id = models.CharField(_("provider message id"), max_length=64)
    sender = models.CharField(_("sender"), max_length=20, db_index=True)
    receiver = models.CharField(_("line"), max_length=20, blank=True)
    text = models.TextField(_("text"), blank=True)
    received_at = models.DateTimeField(_("received"), auto_now_add=True)
    outcome = models.CharField(
        _("outcome"), max_length=12, choices=InboundOutcome.choices, blank=True
    )
    # What an app took it to be about; no database cascade, deleting that keeps the row.
    subject_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    subject_id = models.PositiveBigIntegerField(null=True, blank=True)
    subject = GenericForeignKey("subject_type", "subject_id")

    class Meta:
        db_table = "registrations_inboundsms"
        verbose_name = _("received SMS")
        verbose_name_plural = _("received SMS")
        ordering = ["-received_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "provider_message_id"], name="inbound_sms_once_per_provider_id"
            ),
        ]

    def __str__(self):
        return f"{self.sender}: {self.text[:30]}"


class SmsOptOut(models.Model):
    """A mobile that texted لغو: it gets no more SMS except codes it asks for itself."""

    mobile = PhoneNumberField(_("mobile"), region="IR", unique=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        db_table = "registrations_smsoptout"
        verbose_name = _("SMS opt-out")
        verbose_name_plural = _("SMS opt-outs")

    def __str__(self):
        return str(self.mobile)


class SmsGatewayState(models.Model):
    """One row: set when the provider reports an account-level error (no credit, key refused).

    While paused, workers leave messages queued instead of burning retries; staff resume
    sending once the account is fixed, and the sweep sends what waited.
    """

    paused_at = models.DateTimeField(_("paused at"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        db_table = "registrations_smsgatewaystate"
        verbose_name = _("SMS gateway state")

    def __str__(self):
        return f"paused since {self.paused_at}" if self.paused_at else "sending"

    @classmethod
    def current(cls) -> "SmsGatewayState":
        state, _created = cls.objects.get_or_create(pk=1)
        return state
