"""Editors work in the Wagtail admin: real admin requests through the test client."""

import re

from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile

from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield
from wagtailmedia.models import Media

import pytest

from tests.factories import CampaignPageFactory, hero_value


pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client):
    user = User.objects.create_user("sara", password="pw-for-tests")
    user.groups.add(Group.objects.get(name="Editors"))
    client.force_login(user)
    return user


def list_block(items):
    data = {
        str(i): {"value": value, "deleted": "", "order": str(i)} for i, value in enumerate(items)
    }
    data["count"] = str(len(items))
    return data


def campaign_form(page, goals):
    hero = hero_value(title=page.title)
    return nested_form_data(
        {
            "title": page.title,
            "slug": page.slug,
            "summary": "",
            "sms_keyword": "9",
            "sms_line": "30001152",
            "registration_open": "on",
            "seo_title": "",
            "search_description": "",
            "comments": inline_formset([]),
            "form_fields": inline_formset([]),
            "body": streamfield(
                [
                    ("hero", hero),
                    (
                        "goals",
                        {
                            "heading": "اهداف",
                            "goals": list_block(
                                [{"title": t, "text": x, "image": ""} for t, x in goals]
                            ),
                        },
                    ),
                ]
            ),
            "action-publish": "action-publish",
        }
    )


def test_admin_speaks_persian_right_to_left(client, editor):
    html = client.get("/admin/").content.decode()
    assert 'lang="fa" dir="rtl"' in html


def test_an_editor_edits_a_goal_publishes_and_the_public_page_shows_it(client, editor):
    page = CampaignPageFactory(title="کمپین ویرایشی")
    assert "متن تازهٔ هدف" not in client.get(page.url).content.decode()

    response = client.post(
        f"/admin/pages/{page.pk}/edit/",
        campaign_form(page, [("هدف یک", "متن تازهٔ هدف"), ("هدف دو", "متن هدف دو")]),
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    public = client.get(page.url).content.decode()
    assert "متن تازهٔ هدف" in public
    assert "متن هدف یک" not in public


def test_an_invalid_hero_is_refused_and_nothing_is_published(client, editor):
    page = CampaignPageFactory(title="کمپین")
    data = campaign_form(page, [("هدف یک", "متن")])
    data["body-0-value-sms_instruction"] = "بدون جای کلیدواژه"
    response = client.post(f"/admin/pages/{page.pk}/edit/", data)
    assert response.status_code == 200
    page.refresh_from_db()
    assert page.body[0].value["sms_instruction"] == hero_value()["sms_instruction"]


@pytest.mark.parametrize(
    "url", ["/admin/users/", "/admin/groups/", "/admin/settings/home/sitesettings/"]
)
def test_editors_cannot_reach_users_groups_or_settings(client, editor, url):
    response = client.get(url)
    # Wagtail answers a permission error by sending the user back to the dashboard.
    assert response.status_code == 302
    assert response["Location"] == "/admin/"


def test_editors_can_reach_pages_images_and_media(client, editor):
    for url in ("/admin/pages/", "/admin/images/", "/admin/media/", "/admin/documents/"):
        assert client.get(url).status_code == 200, url


def upload_video(client, name, content, content_type="video/mp4"):
    return client.post(
        "/admin/media/video/add/",
        {
            "title": "ویدیو",
            "file": SimpleUploadedFile(name, content, content_type=content_type),
            "collection": "1",
            "tags": "",
        },
    )


@pytest.fixture
def media_count():
    return Media.objects.count()


def test_a_text_file_named_mp4_is_refused_with_a_clear_error(client, editor, media_count):
    response = upload_video(client, "clip.mp4", b"this is not a video at all" * 20)
    assert response.status_code == 200
    assert "محتوای این فایل در قالب‌های پذیرفته‌شده" in response.content.decode()
    assert Media.objects.count() == media_count


def test_an_oversized_video_is_refused_with_a_clear_error(client, editor, settings, media_count):
    settings.MEDIA_MAX_UPLOAD_SIZE = 1000
    webm = b"\x1a\x45\xdf\xa3" + b"\0" * 2000
    response = upload_video(client, "clip.webm", webm, "video/webm")
    assert "بیشترین حجم مجاز" in response.content.decode()
    assert Media.objects.count() == media_count


def test_a_video_with_a_wrong_extension_is_refused(client, editor, media_count):
    response = upload_video(client, "clip.avi", b"RIFF" + b"\0" * 100, "video/x-msvideo")
    assert response.status_code == 200
    assert Media.objects.count() == media_count


def test_a_real_webm_video_is_accepted(client, editor):
    from home.demo_content import DEMO_DIR

    content = (DEMO_DIR / "sample-video.webm").read_bytes()
    response = upload_video(client, "clip.webm", content, "video/webm")
    assert response.status_code == 302
    # Django adds a suffix when an earlier test left a clip.webm in the media folder.
    assert re.fullmatch(r"media/clip(_\w+)?\.webm", Media.objects.latest("pk").file.name)
