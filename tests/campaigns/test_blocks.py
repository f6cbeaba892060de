from django.core.exceptions import ValidationError

from wagtail.blocks import StructBlockValidationError

import pytest

from campaigns.blocks import (
    CallToActionBlock,
    DefinitionsBlock,
    GoalsBlock,
    HeroBlock,
    LearnMoreBlock,
    RichTextSectionBlock,
    VideoBlock,
    embed_src,
)
from campaigns.models import CampaignPage
from tests.factories import hero_value


pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign():
    return CampaignPage(title="کمپین", slug="c", sms_keyword="9", sms_line="30001152")


def render(block, raw, campaign):
    value = block.to_python(raw)
    return block.render(value, context={"campaign": campaign, "block_id": "b1"})


def test_hero_renders_the_sms_instruction_with_keyword_and_line_in_persian_digits(campaign):
    html = render(HeroBlock(), hero_value(), campaign)
    assert "طرح آزمایشی" in html
    assert '<strong class="sms-keyword">۹</strong>' in html
    assert 'href="sms:30001152?body=9"' in html
    assert "۳۰۰۰۱۱۵۲" in html


def test_hero_sms_instruction_needs_both_placeholders():
    block = HeroBlock()
    with pytest.raises(StructBlockValidationError) as excinfo:
        block.clean(block.to_python(hero_value(sms_instruction="عدد را بفرستید")))
    assert "sms_instruction" in excinfo.value.block_errors


def test_hero_escapes_markup_in_the_editors_sms_text(campaign):
    html = render(HeroBlock(), hero_value(sms_instruction="<b>x</b> {keyword} {line}"), campaign)
    assert "<b>x</b>" not in html
    assert "&lt;b&gt;x&lt;/b&gt;" in html


def test_video_block_refuses_neither_file_nor_address():
    block = VideoBlock()
    value = block.to_python({"label_text": "پخش ویدیو", "video": None, "embed_url": ""})
    with pytest.raises(StructBlockValidationError) as excinfo:
        block.clean(value)
    assert set(excinfo.value.block_errors) == {"video", "embed_url"}


def test_video_block_refuses_both_file_and_address(demo):
    block = VideoBlock()
    media_id = demo.body[1].value["video"].pk
    value = block.to_python(
        {"video": media_id, "embed_url": "https://www.aparat.com/v/abc12", "poster": None}
    )
    with pytest.raises(StructBlockValidationError) as excinfo:
        block.clean(value)
    assert "video" in excinfo.value.block_errors


def test_video_block_refuses_an_address_it_cannot_embed():
    block = VideoBlock()
    value = block.to_python({"video": None, "embed_url": "https://example.com/clip"})
    with pytest.raises(StructBlockValidationError) as excinfo:
        block.clean(value)
    assert list(excinfo.value.block_errors) == ["embed_url"]


def test_video_file_renders_a_real_video_element_with_poster(demo, campaign):
    raw = demo.body.raw_data[1]["value"]
    html = render(VideoBlock(), raw, campaign)
    assert '<video class="video__player" controls preload="none"' in html
    assert 'poster="/media/images/' in html
    assert '<source src="/media/media/' in html
    assert 'type="video/webm"' in html


def test_video_address_renders_an_iframe(campaign):
    html = render(VideoBlock(), {"embed_url": "https://www.aparat.com/v/abc12"}, campaign)
    assert 'src="https://www.aparat.com/video/video/embed/videohash/abc12/vt/frame"' in html


@pytest.mark.parametrize(
    ("url", "src"),
    [
        ("https://www.youtube.com/watch?v=xyz", "https://www.youtube-nocookie.com/embed/xyz"),
        ("https://youtu.be/xyz", "https://www.youtube-nocookie.com/embed/xyz"),
        (
            "https://aparat.com/v/q1W2",
            "https://www.aparat.com/video/video/embed/videohash/q1W2/vt/frame",
        ),
        ("https://vimeo.com/1", None),
    ],
)
def test_embed_src(url, src):
    assert embed_src(url) == src


def test_rich_text_section_renders_kicker_heading_and_text(campaign):
    html = render(
        RichTextSectionBlock(),
        {"kicker": "بالا", "heading": "ضرورت", "body": "<p>متن بخش</p>"},
        campaign,
    )
    assert '<p class="kicker">بالا</p>' in html
    assert "<h2>ضرورت</h2>" in html
    assert "<p>متن بخش</p>" in html


def test_goals_render_as_cards(campaign):
    raw = {"heading": "", "goals": [{"title": "هدف", "text": "شرح", "image": None}]}
    html = render(GoalsBlock(), raw, campaign)
    assert '<h3 class="card__title">هدف</h3>' in html
    assert "<p>شرح</p>" in html


def test_definitions_render_as_a_description_list(campaign):
    raw = {"heading": "تعاریف", "items": [{"term": "مشارکت", "definition": "فرآیندی"}]}
    html = render(DefinitionsBlock(), raw, campaign)
    assert "<dl" in html
    assert "<dt>مشارکت</dt>" in html
    assert "<dd>فرآیندی</dd>" in html


def test_call_to_action_without_a_page_links_to_registration_when_open(campaign, monkeypatch):
    monkeypatch.setattr(CampaignPage, "registration_url", "/c/register/")
    raw = {"heading": "بپیوندید", "text": "", "button_label": "ثبت نام", "page": None}
    html = render(CallToActionBlock(), raw, campaign)
    assert 'href="/c/register/"' in html
    assert "ثبت نام" in html


def test_learn_more_renders_heading_and_text(campaign):
    raw = {"heading": "بیشتر بدانید", "body": "<p>توضیح</p>", "link_label": "", "link_url": ""}
    html = render(LearnMoreBlock(), raw, campaign)
    assert "<h2>بیشتر بدانید</h2>" in html
    assert "<p>توضیح</p>" in html


def test_a_sms_line_with_letters_is_refused(home_page):
    page = CampaignPage(title="x", slug="x", sms_keyword="۹", sms_line="3000abc")
    with pytest.raises(ValidationError) as excinfo:
        page.full_clean()
    assert "sms_line" in excinfo.value.message_dict


def test_persian_digits_in_keyword_and_line_are_stored_as_ascii(home_page):
    page = CampaignPage(title="x", slug="x", sms_keyword="۹", sms_line="۳۰۰۰۱۱۵۲")
    page.clean()
    assert (page.sms_keyword, page.sms_line) == ("9", "30001152")
