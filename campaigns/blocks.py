"""StreamField blocks of a campaign page. Each block renders through its own component template."""

import re
from urllib.parse import parse_qs, urlparse

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from wagtail import blocks
from wagtail.blocks import StructBlockValidationError
from wagtail.images.blocks import ImageChooserBlock
from wagtailmedia.blocks import VideoChooserBlock

from .api import (
    GOAL_IMAGE_RENDITION,
    POSTER_RENDITION,
    image_representation,
    media_representation,
    page_link_representation,
)


class HeroBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"), max_length=200)
    audience = blocks.TextBlock(label=_("Audience line"), required=False, rows=2)
    lead = blocks.CharBlock(label=_("Invitation line"), required=False, max_length=200)
    register_label = blocks.CharBlock(label=_("Registration button label"), max_length=100)
    alternative_label = blocks.CharBlock(
        label=_("Text between the button and the SMS instruction"), required=False, max_length=50
    )
    sms_instruction = blocks.CharBlock(
        label=_("SMS instruction"),
        max_length=200,
        help_text=_(
            "{keyword} and {line} are replaced by the campaign's SMS keyword and line number."
        ),
    )

    def clean(self, value):
        value = super().clean(value)
        missing = [p for p in ("{keyword}", "{line}") if p not in value["sms_instruction"]]
        if missing:
            raise StructBlockValidationError(
                block_errors={
                    "sms_instruction": ValidationError(
                        _("The SMS instruction must contain %(parts)s.")
                        % {"parts": " ".join(missing)}
                    )
                }
            )
        return value

    class Meta:
        icon = "pick"
        label = _("Hero")
        template = "components/hero.html"


_APARAT_VIDEO = re.compile(r"^/v/(?P<hash>[\w-]+)/?$")


def embed_src(url: str) -> str | None:
    """The iframe address for a video page URL we know how to embed, or None.

    Only Aparat and YouTube are recognised: the site never asks a third party for oEmbed
    metadata at edit time, because the servers may not reach those hosts.
    """
    parts = urlparse(url)
    host = (parts.hostname or "").removeprefix("www.")
    if host == "aparat.com":
        match = _APARAT_VIDEO.match(parts.path)
        if match:
            return f"https://www.aparat.com/video/video/embed/videohash/{match['hash']}/vt/frame"
    if host in {"youtube.com", "m.youtube.com"} and parts.path == "/watch":
        video_id = parse_qs(parts.query).get("v", [""])[0]
        if video_id:
            return f"https://www.youtube-nocookie.com/embed/{video_id}"
    if host == "youtu.be" and parts.path.strip("/"):
        return f"https://www.youtube-nocookie.com/embed/{parts.path.strip('/')}"
    return None


class VideoStructValue(blocks.StructValue):
    def embed_src(self):
        return embed_src(self["embed_url"]) if self.get("embed_url") else None


class VideoBlock(blocks.StructBlock):
    label_text = blocks.CharBlock(label=_("Play label"), required=False, max_length=100)
    video = VideoChooserBlock(label=_("Video file"), required=False)
    embed_url = blocks.URLBlock(
        label=_("Or a video page address"),
        required=False,
        help_text=_("An Aparat or YouTube video page. Use either a file or an address, not both."),
    )
    poster = ImageChooserBlock(label=_("Poster image"), required=False)
    transcript = blocks.TextBlock(
        label=_("Text alternative"),
        required=False,
        help_text=_("What the video says and shows, for people who cannot watch it."),
    )

    def clean(self, value):
        value = super().clean(value)
        has_file, has_url = bool(value.get("video")), bool(value.get("embed_url"))
        if has_file == has_url:
            message = (
                _("Choose a video file or enter a video address, not both.")
                if has_file
                else _("Choose a video file or enter a video address.")
            )
            raise StructBlockValidationError(
                block_errors={
                    "video": ValidationError(message),
                    "embed_url": ValidationError(message),
                }
            )
        if has_url and embed_src(value["embed_url"]) is None:
            raise StructBlockValidationError(
                block_errors={
                    "embed_url": ValidationError(
                        _("Only Aparat and YouTube video pages can be embedded.")
                    )
                }
            )
        return value

    def get_api_representation(self, value, context=None):
        return {
            "label_text": value.get("label_text") or "",
            "video": media_representation(value.get("video"), context),
            "embed_url": value.get("embed_url") or "",
            "embed_src": value.embed_src(),
            "poster": image_representation(value.get("poster"), POSTER_RENDITION, context),
            "transcript": value.get("transcript") or "",
        }

    class Meta:
        icon = "media"
        label = _("Video")
        template = "components/video.html"
        value_class = VideoStructValue


class RichTextSectionBlock(blocks.StructBlock):
    kicker = blocks.CharBlock(label=_("Small heading above"), required=False, max_length=200)
    heading = blocks.CharBlock(label=_("Heading"), max_length=200)
    body = blocks.RichTextBlock(
        label=_("Text"), features=["bold", "italic", "link", "ol", "ul", "h3", "h4"]
    )

    class Meta:
        icon = "doc-full"
        label = _("Text section")
        template = "components/rich_text_section.html"


class GoalBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"), max_length=200)
    text = blocks.TextBlock(label=_("Text"))
    image = ImageChooserBlock(label=_("Image"), required=False)

    def get_api_representation(self, value, context=None):
        return {
            "title": value["title"],
            "text": value["text"],
            "image": image_representation(value.get("image"), GOAL_IMAGE_RENDITION, context),
        }

    class Meta:
        icon = "tick-inverse"
        label = _("Goal")


class GoalsBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("Heading"), required=False, max_length=200)
    goals = blocks.ListBlock(GoalBlock(), label=_("Goals"), min_num=1)

    class Meta:
        icon = "list-ul"
        label = _("Goals")
        template = "components/goals.html"


class DefinitionBlock(blocks.StructBlock):
    term = blocks.CharBlock(label=_("Term"), max_length=200)
    definition = blocks.TextBlock(label=_("Definition"))

    class Meta:
        icon = "help"
        label = _("Definition")


class DefinitionsBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("Heading"), required=False, max_length=200)
    items = blocks.ListBlock(DefinitionBlock(), label=_("Definitions"), min_num=1)

    class Meta:
        icon = "list-ol"
        label = _("Definitions")
        template = "components/definitions.html"


class CallToActionBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("Heading"), max_length=200)
    text = blocks.TextBlock(label=_("Text"), required=False)
    button_label = blocks.CharBlock(label=_("Button label"), max_length=100)
    page = blocks.PageChooserBlock(
        label=_("Link to a page"),
        required=False,
        help_text=_("Leave empty to link to the campaign's registration form."),
    )

    def get_api_representation(self, value, context=None):
        representation = super().get_api_representation(value, context)
        # null: the button leads to the campaign's registration form (registration_url).
        representation["page"] = page_link_representation(value.get("page"), context)
        return representation

    class Meta:
        icon = "link"
        label = _("Call to action")
        template = "components/call_to_action.html"


class LearnMoreBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("Heading"), max_length=200)
    body = blocks.RichTextBlock(label=_("Text"), features=["bold", "italic", "link", "ul", "ol"])
    link_label = blocks.CharBlock(label=_("Link label"), required=False, max_length=100)
    link_page = blocks.PageChooserBlock(label=_("Linked page"), required=False)
    link_url = blocks.URLBlock(label=_("Or an address"), required=False)

    def get_api_representation(self, value, context=None):
        representation = super().get_api_representation(value, context)
        representation["link_page"] = page_link_representation(value.get("link_page"), context)
        return representation

    class Meta:
        icon = "info-circle"
        label = _("Learn more")
        template = "components/learn_more.html"


class AtlasCountersBlock(blocks.StructBlock):
    """The live counters of the atlas (groups registered, provinces reached) and a link to it."""

    heading = blocks.CharBlock(label=_("Heading"), required=False, max_length=200)

    class Meta:
        icon = "site"
        label = _("Atlas counters")
        template = "components/atlas_counters.html"


class CampaignStreamBlock(blocks.StreamBlock):
    hero = HeroBlock()
    video = VideoBlock()
    rich_text_section = RichTextSectionBlock()
    goals = GoalsBlock()
    definitions = DefinitionsBlock()
    call_to_action = CallToActionBlock()
    learn_more = LearnMoreBlock()
    atlas_counters = AtlasCountersBlock()
