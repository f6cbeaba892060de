"""Controlled vocabularies of an intervention: short codes stored, translated labels shown."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Stage(models.TextChoices):
    """The five stages in order, then closed (after the evaluation)."""

    NEEDS_ASSESSMENT = "needs_assessment", _("Needs assessment")
    PRIORITISATION = "prioritisation", _("Prioritisation")
    PLANNING = "planning", _("Planning")
    IMPLEMENTATION = "implementation", _("Implementation")
    EVALUATION = "evaluation", _("Evaluation")
    CLOSED = "closed", _("Closed")


# The order the stages are worked through; closed follows the evaluation.
STAGE_ORDER = [
    Stage.NEEDS_ASSESSMENT,
    Stage.PRIORITISATION,
    Stage.PLANNING,
    Stage.IMPLEMENTATION,
    Stage.EVALUATION,
    Stage.CLOSED,
]


class Outcome(models.TextChoices):
    RESOLVED = "resolved", _("The problems were resolved")
    PARTLY = "partly", _("Partly resolved: the problems stay open")
    NOT_RESOLVED = "not_resolved", _("Not resolved: the problems stay open")


class ParticipantKind(models.TextChoices):
    """Who was consulted in the needs assessment (counted, never named)."""

    RESIDENTS = "residents", _("Residents")
    WOMEN = "women", _("Women")
    YOUTH = "youth", _("Young people")
    CHILDREN = "children", _("Children")
    ELDERS = "elders", _("Older people")
    AFFECTED = "affected", _("People affected by the problem")
    RELIGIOUS = "religious", _("Clergy and religious boards")
    SHOPKEEPERS = "shopkeepers", _("Shopkeepers and trades")
    SCHOOLS = "schools", _("Teachers and schools")
    OFFICIALS = "officials", _("Local officials and councils")
    OTHER = "other", _("Others")


class ChangeKind(models.TextChoices):
    OPEN = "open", _("Opened")
    ADVANCE = "advance", _("Advanced")
    REOPEN = "reopen", _("Stage reopened")
    CLOSE = "close", _("Closed")
