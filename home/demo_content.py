"""The demo campaign, built word for word from the campaign's current page (`demo/`).

`campaign-page-fa.txt` is a verbatim copy of the page the campaign runs today. It is parsed
into blocks here, so the words on the demo page are exactly the words in that file.
The English translation goes through wagtail-localize's own machinery (a translation
source, a PO export, the English strings imported, the target published), the same path
an editor's translation takes.
"""

import json
import re
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files import File
from django.db import transaction

from wagtail.images import get_image_model
from wagtail.models import Locale, Site
from wagtail_localize.models import Translation, TranslationSource
from wagtail_localize.operations import TranslationCreator
from wagtailmedia.models import get_media_model

from campaigns.models import CampaignPage

from .models import ContentPage, SiteSettings
from .sites import sync_default_site


DEMO_DIR = Path(__file__).resolve().parent / "demo"
SEED_FILE = DEMO_DIR / "campaign-page-fa.txt"
ENGLISH_FILE = DEMO_DIR / "campaign-page-en.json"
PRIVACY_FILE = DEMO_DIR / "privacy-fa.html"
PRIVACY_SLUG = "privacy"
CAMPAIGN_SLUG = "nehzat"
VIDEO_TITLE = "ویدیوی نمونه طرح"
POSTER_TITLE = "پوستر ویدیوی نمونه"
VIDEO_TRANSCRIPT = (
    "ویدیوی نمونه: الگوی رنگی آزمایشی با صدای یک بوق ممتد؛"
    " این ویدیو جای ویدیوی اصلی طرح را نگه می‌دارد."
)
VIDEO_MARKER = "پخش ویدیو"
GOAL_MARKER = "با هدف"
DEFINITIONS_MARKER = "تعاریف طرح"
LEARN_MORE_MARKER = "درباره طرح بیشتر بدانید"
SMS_NUMBERS = re.compile(r"\d+")

DEMO_USERS = {
    # username: (password, superuser?, group)
    "admin": ("nehzat-admin", True, None),
    "editor": ("nehzat-editor", False, "Editors"),
    "manager": ("nehzat-manager", False, "Registration managers"),
    "moderator": ("nehzat-moderator", False, "Problem moderators"),
    "coordinator": ("nehzat-coordinator", False, "Intervention coordinators"),
}


@dataclass
class SeedPage:
    """The seed page's parts, in reading order, as plain strings."""

    hero: dict
    sms_keyword: str
    sms_line: str
    sections: list = field(default_factory=list)  # (block type, value) pairs after the hero


class SeedFormatError(ValueError):
    pass


def _paragraphs(text: str) -> list[str]:
    return [p.strip("\n") for p in re.split(r"\n\s*\n", text) if p.strip()]


def parse_seed(text: str) -> SeedPage:
    """Split the seed page into the hero and the sections that follow it.

    The seed's own shape is the grammar: six hero paragraphs, then video markers, a text
    section (kicker, heading, paragraph), goal pairs starting with "با هدف", the
    definitions list ("term :" then its text) and the learn-more section.
    """
    paras = _paragraphs(text)
    if len(paras) < 6:
        raise SeedFormatError("The seed page is too short to hold the hero.")
    title, audience, lead, register_label, alternative_label, sms_sentence = paras[:6]
    numbers = SMS_NUMBERS.findall(sms_sentence)
    if len(numbers) != 2:
        raise SeedFormatError(f"Expected a keyword and a line number in {sms_sentence!r}.")
    keyword, line = numbers
    instruction = sms_sentence.replace(keyword, "{keyword}", 1).replace(line, "{line}", 1)
    seed = SeedPage(
        hero={
            "title": title,
            "audience": audience,
            "lead": lead,
            "register_label": register_label,
            "alternative_label": alternative_label,
            "sms_instruction": instruction,
        },
        sms_keyword=keyword,
        sms_line=line,
    )

    rest = paras[6:]
    i = 0
    goals: list[dict] = []
    while i < len(rest):
        para = rest[i]
        lines = para.split("\n")
        if all(line.strip() == VIDEO_MARKER for line in lines):
            seed.sections.extend(("video", {"label_text": VIDEO_MARKER}) for _ in lines)
            i += 1
        elif para.startswith(GOAL_MARKER):
            goals.append({"title": para, "text": rest[i + 1]})
            i += 2
            if i >= len(rest) or not rest[i].startswith(GOAL_MARKER):
                seed.sections.append(("goals", {"heading": "", "goals": goals}))
                goals = []
        elif para == DEFINITIONS_MARKER:
            items = []
            i += 1
            while i + 1 < len(rest) and rest[i].rstrip().endswith(":"):
                term = rest[i].rstrip().rstrip(":").strip()
                items.append({"term": term, "definition": rest[i + 1]})
                i += 2
            seed.sections.append(("definitions", {"heading": para, "items": items}))
        elif para == LEARN_MORE_MARKER:
            seed.sections.append(("learn_more", {"heading": para, "body": rest[i + 1]}))
            i += 2
        elif i + 2 < len(rest):
            # A text section: a kicker line, its heading and one paragraph of body text.
            kicker, heading, body = rest[i : i + 3]
            seed.sections.append(
                ("rich_text_section", {"kicker": kicker, "heading": heading, "body": body})
            )
            i += 3
        else:
            raise SeedFormatError(f"Cannot place this part of the seed page: {para[:40]!r}")
    return seed


def _rich_text(text: str) -> str:
    from django.utils.html import escape

    return "".join(f"<p>{escape(p)}</p>" for p in text.split("\n") if p.strip())


def _list_items(values: list[dict]) -> list[dict]:
    # ListBlock's current raw form gives each item an id; wagtail-localize needs those ids
    # to find each item's strings again when it writes the translation.
    return [{"type": "item", "value": value, "id": str(uuid.uuid4())} for value in values]


def build_body(seed: SeedPage, *, video_id: int, poster_id: int) -> list[dict]:
    """The StreamField body in Wagtail's raw JSON form."""
    body = [{"type": "hero", "value": seed.hero}]
    for block_type, value in seed.sections:
        value = dict(value)
        if block_type == "video":
            value.update(
                video=video_id, poster=poster_id, embed_url="", transcript=VIDEO_TRANSCRIPT
            )
        elif block_type == "goals":
            value["goals"] = _list_items([{**goal, "image": None} for goal in value["goals"]])
        elif block_type == "definitions":
            value["items"] = _list_items(value["items"])
        elif block_type in {"rich_text_section", "learn_more"}:
            value["body"] = _rich_text(value["body"])
            if block_type == "learn_more":
                value.update(link_label="", link_page=None, link_url="")
        body.append({"type": block_type, "value": value})
    # Close the page with the hero's own invitation, so the reader who got to the end
    # does not have to scroll back up to register.
    body.append(
        {
            "type": "call_to_action",
            "value": {
                "heading": seed.hero["lead"],
                "text": "",
                "button_label": seed.hero["register_label"],
                "page": None,
            },
        }
    )
    return [{**block, "id": str(uuid.uuid4())} for block in body]


def _demo_video():
    Media = get_media_model()
    media = Media.objects.filter(title=VIDEO_TITLE).first()
    if media is None:
        with open(DEMO_DIR / "sample-video.webm", "rb") as fh:
            media = Media(title=VIDEO_TITLE, type="video", duration=8, width=480, height=270)
            media.file.save("nehzat-sample.webm", File(fh), save=False)
            media.save()
    Image = get_image_model()
    poster = Image.objects.filter(title=POSTER_TITLE).first()
    if poster is None:
        with open(DEMO_DIR / "sample-poster.jpg", "rb") as fh:
            poster = Image(title=POSTER_TITLE)
            poster.file.save("nehzat-poster.jpg", File(fh), save=False)
            poster.save()
    return media, poster


def _demo_users(log) -> None:
    User = get_user_model()
    for username, (password, superuser, group_name) in DEMO_USERS.items():
        if User.objects.filter(username=username).exists():
            continue
        user = User.objects.create_user(
            username=username,
            password=password,
            is_staff=superuser,
            is_superuser=superuser,
        )
        if group_name:
            user.groups.add(Group.objects.get(name=group_name))
        log(f"Created demo user {username} / {password}")


_SPACES = re.compile(r"[^\S\n]+")


def _english_key(text: str) -> str:
    """The lookup key for a Persian string in the English file.

    wagtail-localize stores line breaks as <br/>, and the seed holds hair and no-break
    spaces where its ZWNJs were lost; the English file is keyed by plain spaced text.
    """
    return _SPACES.sub(" ", text.replace("<br/>", "\n"))


def _translate_to_english(pages, english: dict[str, str], log) -> None:
    """Translate the pages with wagtail-localize: source → PO → English strings → publish."""
    english = {_english_key(fa): en for fa, en in english.items()}
    en = Locale.objects.get(language_code="en")
    creator = TranslationCreator(user=None, target_locales=[en])
    for page in pages:
        creator.create_translations(page)
    for page in pages:
        source, _ = TranslationSource.get_or_create_from_instance(page)
        translation = Translation.objects.get(source=source, target_locale=en)
        po = translation.export_po()
        missing = []
        for entry in po:
            if entry.obsolete:
                continue
            key = _english_key(entry.msgid)
            if key not in english:
                missing.append(entry.msgid)
                continue
            entry.msgstr = english[key].replace("\n", "<br/>")
        if missing:
            raise SeedFormatError(f"No English text for: {missing}")
        translation.import_po(po)
        translation.save_target(publish=True)
        log(f"Published the English translation of “{page.title}”")


@transaction.atomic
def load_demo_content(log=print) -> bool:
    """Create the demo campaign, its English translation and the demo users.

    Returns False (and changes nothing) when the campaign already exists, so editors'
    changes to the demo are never overwritten.
    """
    _demo_users(log)
    site, changed = sync_default_site()
    if changed:
        log(f"The default site now answers at {site.root_url} (PUBLIC_BASE_URL).")
    fa = Locale.objects.get(language_code="fa")
    if CampaignPage.objects.filter(slug=CAMPAIGN_SLUG, locale=fa).exists():
        log("The demo campaign is already there; nothing to do.")
        return False

    seed = parse_seed(SEED_FILE.read_text(encoding="utf-8"))
    media, poster = _demo_video()
    home = Site.objects.get(is_default_site=True).root_page.specific
    campaign = CampaignPage(
        title=next(
            (v["kicker"] for kind, v in seed.sections if kind == "rich_text_section"),
            seed.hero["title"],
        ),
        slug=CAMPAIGN_SLUG,
        sms_keyword=seed.sms_keyword,
        sms_line=seed.sms_line,
        summary=" ".join(seed.hero["audience"].split("\n")),
        body=build_body(seed, video_id=media.pk, poster_id=poster.pk),
    )
    home.add_child(instance=campaign)
    campaign.save_revision().publish()
    home.featured_campaign = campaign
    home.save_revision().publish()
    log(f"Published the campaign “{campaign.title}” at {campaign.url}")

    privacy = ContentPage(
        title="حریم خصوصی",
        slug=PRIVACY_SLUG,
        body=PRIVACY_FILE.read_text(encoding="utf-8").replace("\n", ""),
    )
    home.add_child(instance=privacy)
    privacy.save_revision().publish()
    site_settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    site_settings.privacy_page = privacy
    site_settings.save()

    english = json.loads(ENGLISH_FILE.read_text(encoding="utf-8"))
    _translate_to_english([home, campaign, privacy], english, log)
    return True
