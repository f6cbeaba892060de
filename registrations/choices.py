"""Controlled vocabularies of a registration: stored as short codes, shown as translated labels."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    POPULAR_GROUP = "popular_group", _("Popular group")
    NGO = "ngo", _("Registered NGO")
    CHARITY = "charity", _("Charity")
    RELIGIOUS_BOARD = "religious_board", _("Religious or cultural board")
    FACILITATOR = "facilitator", _("Facilitator (an individual)")


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    AWAITING_CONFIRMATION = "awaiting_confirmation", _("Awaiting confirmation")
    CONFIRMED = "confirmed", _("Confirmed")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    # Withdrawn by the group (accounts): kept for the record, sent no more SMS it did not ask for.
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Source(models.TextChoices):
    WEB = "web", _("Web form")
    API = "api", _("API")
    SMS = "sms", _("SMS")


class Province(models.TextChoices):
    """Iran's 31 provinces."""

    AZARBAIJAN_EAST = "azarbaijan_east", _("East Azerbaijan")
    AZARBAIJAN_WEST = "azarbaijan_west", _("West Azerbaijan")
    ARDABIL = "ardabil", _("Ardabil")
    ISFAHAN = "isfahan", _("Isfahan")
    ALBORZ = "alborz", _("Alborz")
    ILAM = "ilam", _("Ilam")
    BUSHEHR = "bushehr", _("Bushehr")
    TEHRAN = "tehran", _("Tehran")
    CHAHARMAHAL = "chaharmahal", _("Chaharmahal and Bakhtiari")
    KHORASAN_SOUTH = "khorasan_south", _("South Khorasan")
    KHORASAN_RAZAVI = "khorasan_razavi", _("Razavi Khorasan")
    KHORASAN_NORTH = "khorasan_north", _("North Khorasan")
    KHUZESTAN = "khuzestan", _("Khuzestan")
    ZANJAN = "zanjan", _("Zanjan")
    SEMNAN = "semnan", _("Semnan")
    SISTAN = "sistan", _("Sistan and Baluchestan")
    FARS = "fars", _("Fars")
    QAZVIN = "qazvin", _("Qazvin")
    QOM = "qom", _("Qom")
    KURDISTAN = "kurdistan", _("Kurdistan")
    KERMAN = "kerman", _("Kerman")
    KERMANSHAH = "kermanshah", _("Kermanshah")
    KOHGILUYEH = "kohgiluyeh", _("Kohgiluyeh and Boyer-Ahmad")
    GOLESTAN = "golestan", _("Golestan")
    GILAN = "gilan", _("Gilan")
    LORESTAN = "lorestan", _("Lorestan")
    MAZANDARAN = "mazandaran", _("Mazandaran")
    MARKAZI = "markazi", _("Markazi")
    HORMOZGAN = "hormozgan", _("Hormozgan")
    HAMADAN = "hamadan", _("Hamadan")
    YAZD = "yazd", _("Yazd")


class ActivityField(models.TextChoices):
    """The campaign's four goals first, then the usual fields of social work."""

    SOCIAL_INTERACTION = "social_interaction", _("Strengthening social interaction")
    POPULAR_PARTICIPATION = "popular_participation", _("Widening popular participation")
    SOCIAL_HARM = "social_harm", _("Helping people harmed by social problems")
    CHARITY = "charity", _("Charitable work")
    EDUCATION = "education", _("Education and literacy")
    HEALTH = "health", _("Health and care")
    ENVIRONMENT = "environment", _("Environment")
    CULTURE_ART = "culture_art", _("Culture and art")
    RELIGIOUS = "religious", _("Religious and Quranic activities")
    WOMEN_FAMILY = "women_family", _("Women and family")
    CHILDREN_YOUTH = "children_youth", _("Children and young people")
    ELDERLY_DISABILITY = "elderly_disability", _("Older people and people with disabilities")
    ADDICTION = "addiction", _("Addiction prevention and recovery")
    DISASTER_RELIEF = "disaster_relief", _("Disaster relief")
    EMPLOYMENT = "employment", _("Jobs and entrepreneurship")
    NEIGHBOURHOOD = "neighbourhood", _("Neighbourhood development")
    SPORT = "sport", _("Sport")
    OTHER = "other", _("Other")


class Capacity(models.TextChoices):
    VOLUNTEERS = "volunteers", _("Volunteers")
    VENUE = "venue", _("A venue or space")
    FUNDING = "funding", _("Funding")
    SPECIALISTS = "specialists", _("Specialist staff")
    EQUIPMENT = "equipment", _("Equipment")
    MEDIA = "media", _("Media and outreach")
    TRAINING = "training", _("Training")
    TRANSPORT = "transport", _("Transport")
    NETWORK = "network", _("Networks and contacts")
    COUNSELLING = "counselling", _("Counselling")
