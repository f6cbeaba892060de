from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel
from wagtail.api import APIField
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField
from wagtail.models import Page

from campaigns.models import CampaignPage
from search.indexing import PersianSearchField, page_text
from sitecache import lookups
from sitecache.lookups import ViewRestrictionsFromCache


class HomePage(ViewRestrictionsFromCache, Page):
    """The site root: shows the featured campaign in full and lists the others."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])
    featured_campaign = models.ForeignKey(
        CampaignPage,
        verbose_name=_("featured campaign"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Shown in full on the home page. Empty: the first published campaign."),
    )

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["campaigns.CampaignPage", "home.ContentPage"]
    template = "home/home_page.html"

    search_fields = [
        *Page.search_fields,
        PersianSearchField("title", boost=2),
        PersianSearchField("search_text"),
    ]
    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("featured_campaign")]
    api_fields = [APIField("intro"), APIField("featured_campaign")]

    class Meta:
        verbose_name = _("home page")

    def search_text(self) -> str:
        """The introduction as a reader sees it; indexed folded, cut into result snippets."""
        return page_text(self, "intro")

    def campaigns(self):
        return CampaignPage.objects.child_of(self).live().public().order_by("path")

    def get_featured_campaign(self) -> CampaignPage | None:
        """The campaign shown on the home page: the chosen one if published, else the first."""
        featured = self.featured_campaign
        if featured is not None:
            featured = featured.localized
            if featured.live:
                return featured
        return self.campaigns().first()

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        featured = self.get_featured_campaign()
        context["campaign"] = featured
        context["other_campaigns"] = (
            self.campaigns().exclude(pk=featured.pk) if featured else self.campaigns()
        )
        return context


class ContentPage(ViewRestrictionsFromCache, Page):
    """A plain page of text, e.g. the privacy notice."""

    body = RichTextField(_("body"), features=["h2", "h3", "bold", "italic", "link", "ol", "ul"])

    parent_page_types = ["home.HomePage"]
    subpage_types = []
    template = "home/content_page.html"

    search_fields = [
        *Page.search_fields,
        PersianSearchField("title", boost=2),
        PersianSearchField("search_text"),
    ]
    content_panels = [*Page.content_panels, FieldPanel("body")]
    api_fields = [APIField("body")]

    class Meta:
        verbose_name = _("content page")

    def search_text(self) -> str:
        """The body as a reader sees it; indexed folded, cut into result snippets."""
        return page_text(self, "body")


@register_setting(icon="site")
class SiteSettings(BaseSiteSetting):
    """Site-wide wording outside any page: the footer and the privacy notice link."""

    footer_text = models.CharField(_("footer text"), max_length=300, blank=True)
    privacy_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("privacy notice page"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    panels = [FieldPanel("footer_text"), FieldPanel("privacy_page")]
    # Every page's footer links the privacy page: fetched with the settings, not after them.
    select_related = ["privacy_page"]

    @classmethod
    def for_site(cls, site):
        # Every page view reads them for its footer: kept in the cache until they, their site
        # or the privacy page change (sitecache.lookups).
        return lookups.settings_for_site(site, super().for_site)

    class Meta:
        verbose_name = _("site settings")
