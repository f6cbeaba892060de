"""The invitation of a group to an intervention, and its answer (services: invitations.py).

Kept apart from invitations.py so models.py can load it without importing the services back.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy

from registrations.choices import Capacity

from . import purposes  # noqa: F401 - declares the SMS the app sends, as the models load


class InvitationStatus(models.TextChoices):
    INVITED = "invited", gettext_lazy("Invited")
    ACCEPTED = "accepted", gettext_lazy("Accepted")
    DECLINED = "declined", gettext_lazy("Declined")
    NO_ANSWER = "no_answer", gettext_lazy("No answer")


ANSWERED = (InvitationStatus.ACCEPTED, InvitationStatus.DECLINED)


class Invitation(models.Model):
    """A group asked to take part in an intervention, and its answer."""

    wagtail_reference_index_ignore = True

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    intervention = models.ForeignKey(
        "interventions.Intervention", on_delete=models.CASCADE, related_name="invitations"
    )
    registration = models.ForeignKey(
        "registrations.Registration",
        verbose_name=gettext_lazy("group"),
        on_delete=models.CASCADE,
        related_name="intervention_invitations",
    )
    status = models.CharField(
        gettext_lazy("answer"),
        max_length=12,
        choices=InvitationStatus.choices,
        default=InvitationStatus.INVITED,
    )
    offered_capacities = models.JSONField(
        gettext_lazy("capacities offered"), default=list, blank=True
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    invited_at = models.DateTimeField(gettext_lazy("invited"), default=timezone.now)
    reminded_at = models.DateTimeField(gettext_lazy("reminded"), null=True, blank=True)
    answered_at = models.DateTimeField(gettext_lazy("answered"), null=True, blank=True)

    class Meta:
        verbose_name = gettext_lazy("invitation")
        verbose_name_plural = gettext_lazy("invitations")
        ordering = ["-invited_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["intervention", "registration"], name="one_invitation_per_group"
            ),
            models.CheckConstraint(
                condition=Q(status__in=InvitationStatus.values), name="invitation_known_status"
            ),
            # Answered exactly when accepted or declined.
            models.CheckConstraint(
                condition=Q(status__in=ANSWERED, answered_at__isnull=False)
                | ~Q(status__in=ANSWERED) & Q(answered_at__isnull=True),
                name="invitation_answered_has_time",
            ),
        ]
        indexes = [
            # The reminder task's two sweeps: invited, by when invited / reminded.
            models.Index(fields=["status", "invited_at"], name="invitation_due"),
        ]

    def __str__(self):
        return f"{self.intervention_id} → {self.registration_id}: {self.status}"

    def capacity_labels(self) -> list[str]:
        return [str(Capacity(code).label) for code in self.offered_capacities]
