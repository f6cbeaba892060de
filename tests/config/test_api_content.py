"""A headless client reads the campaign through the Wagtail API v2 (and drafts through v3)."""

from urllib.parse import urlsplit

from django.db import connection
from django.test.utils import CaptureQueriesContext

from wagtail.images import get_image_model
from wagtail.models import APIToken

import pytest

from campaigns.models import CampaignFormField, CampaignPage
from home.demo_content import SEED_FILE, parse_seed
from tests.factories import CampaignPageFactory, hero_value


pytestmark = pytest.mark.django_db

CAMPAIGNS = "/api/v2/pages/?type=campaigns.CampaignPage&fields=*"


def fetch(client, url, **headers):
    response = client.get(url, **headers)
    assert response.status_code == 200, response.content[:500]
    return response.json()


def path_of(url: str) -> str:
    return urlsplit(url).path


def fa_campaign(client):
    items = fetch(client, CAMPAIGNS + "&locale=fa")["items"]
    assert [item["meta"]["slug"] for item in items] == ["nehzat"]
    return items[0]


# --- the done-when walk-through: rebuild the page from JSON alone --------------------------


def rebuild(item: dict) -> dict:
    """What a headless front end needs to draw the campaign, taken from the JSON only."""
    page = {"goals": [], "definitions": [], "videos": [], "sms": None}
    for block in item["body"]:
        value = block["value"]
        if block["type"] == "hero":
            page["sms"] = (
                value["sms_instruction"]
                .replace("{keyword}", item["sms_keyword"])
                .replace("{line}", item["sms_line"])
            )
        elif block["type"] == "goals":
            page["goals"] += [(goal["title"], goal["text"]) for goal in value["goals"]]
        elif block["type"] == "definitions":
            page["definitions"] += [(d["term"], d["definition"]) for d in value["items"]]
        elif block["type"] == "video":
            page["videos"].append(value)
    return page


def test_the_campaign_is_rebuilt_from_the_api_json_alone(client, demo):
    seed = parse_seed(SEED_FILE.read_text(encoding="utf-8"))
    seed_goals = [
        (goal["title"], goal["text"])
        for kind, value in seed.sections
        if kind == "goals"
        for goal in value["goals"]
    ]
    seed_definitions = [
        (item["term"], item["definition"])
        for kind, value in seed.sections
        if kind == "definitions"
        for item in value["items"]
    ]
    sms_sentence = seed.hero["sms_instruction"].format(keyword=seed.sms_keyword, line=seed.sms_line)

    item = fa_campaign(client)
    page = rebuild(item)

    assert (item["sms_keyword"], item["sms_line"]) == ("9", "30001152")
    assert page["sms"] == sms_sentence
    assert page["goals"] == seed_goals and len(seed_goals) == 4
    assert page["definitions"] == seed_definitions and len(seed_definitions) >= 5
    assert len(page["videos"]) == sum(1 for kind, _ in seed.sections if kind == "video")
    for video in page["videos"]:
        file_response = client.get(path_of(video["video"]["url"]))
        poster_response = client.get(path_of(video["poster"]["url"]))
        assert video["video"]["url"].startswith("http")
        assert video["video"]["type"] == "video/webm"
        assert file_response.status_code == 200
        assert poster_response.status_code == 200
        assert poster_response["Content-Type"] == "image/jpeg"
        assert (video["poster"]["width"], video["poster"]["height"]) == (960, 540)
        assert video["transcript"]


def test_the_campaign_carries_its_registration_fields(client, demo):
    item = fa_campaign(client)
    assert item["registration_open"] is True
    assert path_of(item["registration_url"]) == "/nehzat/register/"
    assert item["form_fields"] == []


def test_the_english_campaign_links_to_the_english_form(client, demo):
    items = fetch(client, CAMPAIGNS + "&locale=en")["items"]
    assert items[0]["title"] == "National Social Participation Movement"
    assert path_of(items[0]["registration_url"]) == "/en/nehzat/register/"


def test_a_closed_campaign_has_no_registration_url(client, demo):
    demo.registration_open = False
    demo.save_revision().publish()
    assert fa_campaign(client)["registration_url"] is None


def test_extra_questions_are_listed_with_their_keys(client, demo):
    question = CampaignFormField.objects.create(
        page=demo, label="چند داوطلب دارید؟", field_type="number", required=True
    )
    fields = fa_campaign(client)["form_fields"]
    assert fields[0]["clean_name"] == question.clean_name
    assert fields[0]["label"] == "چند داوطلب دارید؟"
    assert fields[0]["field_type"] == "number" and fields[0]["required"] is True


def test_goal_images_come_as_rendition_urls(client, demo):
    poster = get_image_model().objects.get()
    CampaignPageFactory(
        slug="with-images",
        body=[
            {"type": "hero", "value": hero_value()},
            {
                "type": "goals",
                "value": {
                    "heading": "",
                    "goals": [{"title": "یک", "text": "متن", "image": poster.pk}],
                },
            },
        ],
    )
    items = fetch(client, CAMPAIGNS + "&slug=with-images")["items"]
    image = items[0]["body"][1]["value"]["goals"][0]["image"]
    assert (image["width"], image["height"]) == (480, 270)
    assert client.get(path_of(image["url"])).status_code == 200


def test_rich_text_is_served_as_html(client, demo):
    sections = [b for b in fa_campaign(client)["body"] if b["type"] == "rich_text_section"]
    assert sections[0]["value"]["body"].startswith("<p>")


# --- locales and translations ----------------------------------------------------------


def test_locale_filters_the_listing(client, demo):
    fa = fetch(client, "/api/v2/pages/?locale=fa")["items"]
    en = fetch(client, "/api/v2/pages/?locale=en")["items"]
    assert {item["meta"]["locale"] for item in fa} == {"fa"}
    assert {item["meta"]["locale"] for item in en} == {"en"}
    assert len(fa) == len(en)


def test_translations_are_reachable_from_each_other(client, demo):
    english = CampaignPage.objects.get(slug="nehzat", locale__language_code="en")
    to_en = fetch(client, f"/api/v2/pages/?translation_of={demo.pk}&locale=en")["items"]
    to_fa = fetch(client, f"/api/v2/pages/?translation_of={english.pk}&locale=fa")["items"]
    assert [item["id"] for item in to_en] == [english.pk]
    assert [item["id"] for item in to_fa] == [demo.pk]


# --- images, documents, videos ----------------------------------------------------------


def test_videos_are_listed_by_the_media_endpoint(client, demo):
    items = fetch(client, "/api/v2/media/?type=video")["items"]
    assert [item["media_type"] for item in items] == ["video"]
    assert client.get(path_of(items[0]["meta"]["download_url"])).status_code == 200
    assert fetch(client, "/api/v2/media/?type=audio")["items"] == []


def test_images_and_documents_endpoints_answer(client, demo):
    images = fetch(client, "/api/v2/images/")["items"]
    assert images and images[0]["title"]
    assert fetch(client, "/api/v2/documents/")["meta"]["total_count"] == 0


def urls_in(value):
    """Every URL-valued field of an API answer, however deep."""
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, str) and (key == "url" or key.endswith("_url")):
                if item:  # "" is an optional link left empty (embed_url, link_url)
                    yield item
            else:
                yield from urls_in(item)
    elif isinstance(value, list):
        for item in value:
            yield from urls_in(item)


@pytest.mark.parametrize(
    ("url", "files"),
    [
        (CAMPAIGNS + "&locale=fa", True),
        (CAMPAIGNS + "&locale=en", True),
        ("/api/v2/images/", True),
        ("/api/v2/media/", True),
        ("/api/campaigns/", False),
    ],
)
def test_every_url_the_apis_return_is_absolute_and_answers(client, demo, url, files):
    found = set(urls_in(fetch(client, url)))
    assert found
    assert any("/media/" in link for link in found) is files
    for link in found:
        # PUBLIC_BASE_URL is http://testserver in tests: the Site follows it (sync_site).
        assert link.startswith("http://testserver/"), link
        response = client.get(path_of(link))
        assert response.status_code == 200, link
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)


def test_an_images_download_url_is_absolute(client, demo):
    image = fetch(client, "/api/v2/images/")["items"][0]
    assert image["meta"]["download_url"].startswith("http://testserver/media/")


def test_a_pages_html_url_follows_public_base_url(client, demo, settings):
    from home.sites import sync_default_site

    settings.PUBLIC_BASE_URL = "http://nehzat.example:8080"
    settings.ALLOWED_HOSTS = ["nehzat.example"]
    sync_default_site()
    item = fetch(client, CAMPAIGNS + "&locale=fa", HTTP_HOST="nehzat.example:8080")["items"][0]
    assert item["meta"]["html_url"] == "http://nehzat.example:8080/nehzat/"


# --- no N+1 -----------------------------------------------------------------------------


def listing_queries(client, count: int, url: str) -> int:
    for page in CampaignPage.objects.exclude(slug="nehzat"):
        page.delete()
    for _ in range(count - 1):
        CampaignPageFactory(body=list(demo_body()))
    client.get(url)  # the first request makes the renditions, as a first visitor would
    with CaptureQueriesContext(connection) as queries:
        items = fetch(client, url)["items"]
    assert sum(item["meta"]["type"] == "campaigns.CampaignPage" for item in items) == count
    return len(queries.captured_queries)


def demo_body():
    return CampaignPage.objects.get(slug="nehzat", locale__language_code="fa").body.raw_data


@pytest.mark.parametrize(
    "url",
    [
        "/api/v2/pages/?type=campaigns.CampaignPage&fields=*&locale=fa&limit=50",
        "/api/v2/pages/?locale=fa&limit=50",
    ],
)
def test_a_listing_costs_the_same_queries_for_2_and_20_pages(client, demo, url):
    two = listing_queries(client, 2, url)
    twenty = listing_queries(client, 20, url)
    assert two == twenty
    assert twenty <= 15


def test_the_locale_is_not_looked_up_per_page(client, demo):
    with CaptureQueriesContext(connection) as queries:
        fetch(client, "/api/v2/pages/")
    sql = [q["sql"] for q in queries.captured_queries]
    assert not [q for q in sql if 'FROM "wagtailcore_locale"' in q]


# --- drafts for a headless preview (Wagtail API v3) -------------------------------------


@pytest.fixture
def draft(demo):
    demo.title = "عنوان پیش‌نویس"
    demo.save_revision()
    return demo


@pytest.fixture
def editor_token(django_user_model):
    from django.contrib.auth.models import Group

    editor = django_user_model.objects.create_user("preview-editor", password="x")
    editor.groups.add(Group.objects.get(name="Editors"))
    return APIToken.create_token(user=editor, name="headless preview")[1]


def test_an_editors_token_reads_the_draft(client, draft, editor_token):
    url = f"/api/v3-preview/pages/{draft.pk}/?version=draft"
    data = fetch(client, url, HTTP_AUTHORIZATION=f"Bearer {editor_token}")
    assert data["title"] == "عنوان پیش‌نویس"


def test_without_a_token_the_published_page_is_served(client, draft):
    data = fetch(client, f"/api/v3-preview/pages/{draft.pk}/?version=draft")
    assert data["title"] == "طرح ملی نهضت مشارکت اجتماعی"


@pytest.mark.parametrize("method", ["post", "patch", "delete"])
def test_the_preview_api_cannot_change_pages(client, draft, editor_token, method):
    response = getattr(client, method)(
        f"/api/v3-preview/pages/{draft.pk}/",
        data={"title": "x"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {editor_token}",
    )
    assert response.status_code == 405
    assert CampaignPage.objects.get(pk=draft.pk).live


def test_admins_manage_preview_tokens_in_the_admin(admin_client):
    response = admin_client.get("/admin/api-tokens/")
    assert response.status_code == 200


def test_the_v3_docs_page_is_off_because_it_needs_a_cdn(client):
    assert client.get("/api/v3-preview/docs/").status_code == 404


def test_the_detail_view_serves_the_same_blocks(client, demo):
    detail = fetch(client, f"/api/v2/pages/{demo.pk}/")
    listed = fa_campaign(client)
    assert detail["body"] == listed["body"]
    assert detail["meta"]["locale"] == "fa"
