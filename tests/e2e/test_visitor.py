"""A Persian visitor on a phone: reads the campaign, plays its video, registers, confirms,
looks the registration up; and one who only has SMS."""

import re

import pytest

from persian.text import to_ascii_digits
from tests.e2e.pages import HEADING_SIDES, OVERFLOW_X, SECTIONS
from tests.e2e.support import (
    PERSIAN_LETTERS,
    Applicant,
    code_in,
    fill_registration,
    link_in,
    mobile_for,
    national_code,
    persian,
    wrong_national_code,
)


pytestmark = pytest.mark.e2e

PERSIAN_DIGITS_ONLY = re.compile(r"^[۰-۹]+$")


def test_every_section_of_the_campaign_reads_right_to_left(new_page, step):
    page = new_page()
    page.goto("/nehzat/")
    step(page, "campaign")

    assert page.locator("html").get_attribute("lang") == "fa"
    assert page.locator("html").get_attribute("dir") == "rtl"
    sections = page.evaluate(HEADING_SIDES, SECTIONS)
    assert len(sections) >= 6, sections
    assert {s["direction"] for s in sections} == {"rtl"}, sections
    headed = [s for s in sections if "gapRight" in s]
    assert headed, sections
    # A heading's words start at the right edge of its box, with the slack on the left.
    assert all(s["gapRight"] <= 1 for s in headed), headed
    assert any(s["gapLeft"] > 20 for s in headed), headed
    assert page.evaluate(OVERFLOW_X) <= 0, "the page scrolls sideways on a phone"


def test_the_campaign_video_plays(new_page, step):
    page = new_page()
    page.goto("/nehzat/")
    video = page.locator("main video").first
    video.scroll_into_view_if_needed()
    assert video.get_attribute("poster")
    step(page, "video before playing")

    # Headless Chromium's native controls ignore synthetic taps on the picture; the
    # player's own keyboard control (Space on the focused video) is what a person can use.
    video.focus()
    page.keyboard.press("Space")

    page.wait_for_function(
        "v => !v.paused && v.currentTime > 1", arg=video.element_handle(), timeout=15_000
    )
    step(page, "video playing")
    first = video.evaluate("v => v.currentTime")
    page.wait_for_timeout(600)
    assert video.evaluate("v => v.currentTime") > first


def test_persian_visitor_registers_confirms_by_sms_and_looks_it_up(new_page, site, step):
    mobile = mobile_for("persian visitor")
    applicant = Applicant(
        mobile=persian(mobile),
        years_active=persian("12"),
        national_code=persian(wrong_national_code("001234567")),
    )
    page = new_page()
    page.goto("/nehzat/")
    page.locator("main .hero a[href$='/nehzat/register/']").click()
    page.wait_for_url("**/nehzat/register/")
    step(page, "registration form")

    fill_registration(page, applicant)
    step(page, "filled with a wrong national code")
    page.locator("main form button[type=submit]").click()

    # One mistake: the Persian error sits right above its field, tied to it, announced.
    error = page.locator("#id_national_code-errors")
    field = page.locator("#id_national_code")
    assert PERSIAN_LETTERS.search(error.inner_text()), error.inner_text()
    assert error.get_attribute("role") == "alert"
    assert "id_national_code-errors" in field.get_attribute("aria-describedby").split()
    assert field.get_attribute("aria-invalid") == "true"
    error_box, field_box = error.bounding_box(), field.bounding_box()
    assert 0 <= field_box["y"] - (error_box["y"] + error_box["height"]) < 40
    assert page.locator(".field__error").count() == 1
    step(page, "the error beside the national code")
    # The rest of what was typed is still there.
    assert page.locator("#id_organisation_name").input_value() == applicant.organisation_name
    assert page.locator("#id_city").input_value() == applicant.city
    assert page.locator("#id_province").input_value() == applicant.province
    assert page.locator("#id_representative_name").input_value() == applicant.representative_name
    assert page.locator("#id_years_active").input_value() == applicant.years_active
    assert page.locator("#id_mobile").input_value() == applicant.mobile
    assert page.locator("input[name=kind][value=popular_group]").is_checked()
    assert page.locator("input[name=fields_of_activity][value=education]").is_checked()
    assert page.locator("#id_consent").is_checked()

    field.fill(persian(national_code("001234567")))
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/confirm/")
    step(page, "asked for the SMS code")

    code = code_in(site.wait_for_sms(mobile))
    page.locator("#id_code").fill(persian(code))
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url("**/done/")
    tracking = page.locator("#tracking-code").inner_text().strip()
    step(page, "confirmed with the tracking code")
    assert PERSIAN_DIGITS_ONLY.match(tracking), tracking
    receipt = site.wait_for_sms(mobile, after=1)
    assert to_ascii_digits(tracking) in to_ascii_digits(receipt)

    page.get_by_role("link", name="پیگیری ثبت‌نام").click()
    page.wait_for_url("**/nehzat/status/")
    page.locator("#id_tracking_code").fill(tracking)
    page.locator("#id_mobile").fill(persian(mobile))
    page.locator("main form button[type=submit]").click()
    result = page.locator("#status-result")
    step(page, "looked up")
    assert "تأییدشده" in result.inner_text()
    assert not re.search(r"[0-9]", result.inner_text()), "a Persian page shows Persian digits"


def test_sms_only_visitor_finishes_from_the_link_in_the_reply(new_page, site, step):
    mobile = mobile_for("sms-only visitor")
    pushed = site.text_from_phone(mobile, "۹")
    assert pushed["push_status"] == 200

    link = link_in(site.wait_for_sms(mobile))
    assert link.startswith(site.url)
    page = new_page()
    page.goto(link)
    page.wait_for_url(re.compile(r"/nehzat/register/\?t="))
    step(page, "form opened from the SMS link")
    mobile_input = page.locator("#id_mobile")
    assert mobile_input.is_disabled()
    assert to_ascii_digits(mobile_input.input_value()).endswith(mobile[-10:])
    assert "با پیامکی که فرستادید تأیید شده است." in page.locator("#id_mobile-field").inner_text()

    fill_registration(
        page,
        Applicant(mobile=mobile, organisation_name="سمن یاوران سلامت", province="fars"),
        mobile_locked=True,
    )
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/done/")
    step(page, "registered without a code")
    tracking = to_ascii_digits(page.locator("#tracking-code").inner_text().strip())
    assert re.fullmatch(r"[0-9]{8}", tracking)
    assert tracking in to_ascii_digits(site.wait_for_sms(mobile, after=1))
