"""The English site under /en/: left to right, and the same registration in English."""

import re

import pytest

from tests.e2e.pages import HEADING_SIDES, OVERFLOW_X, SECTIONS
from tests.e2e.support import PERSIAN_LETTERS, Applicant, code_in, fill_registration, mobile_for


pytestmark = pytest.mark.e2e


def test_english_campaign_reads_left_to_right(new_page, step):
    page = new_page(locale="en-GB")
    page.goto("/en/")
    step(page, "english home")

    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("html").get_attribute("dir") == "ltr"
    sections = page.evaluate(HEADING_SIDES, SECTIONS)
    assert len(sections) >= 6, sections
    assert {s["direction"] for s in sections} == {"ltr"}, sections
    headed = [s for s in sections if "gapLeft" in s]
    assert headed, sections
    assert all(s["gapLeft"] <= 1 for s in headed), headed
    assert any(s["gapRight"] > 20 for s in headed), headed
    assert page.evaluate(OVERFLOW_X) <= 0, "the page scrolls sideways on a phone"


def test_english_visitor_registers_confirms_and_looks_it_up(new_page, site, step):
    mobile = mobile_for("english visitor")
    page = new_page(locale="en-GB")
    page.goto("/en/")
    page.locator("main .hero a[href$='/en/nehzat/register/']").click()
    page.wait_for_url("**/en/nehzat/register/")
    assert page.locator("html").get_attribute("dir") == "ltr"
    step(page, "registration form")

    fill_registration(
        page,
        Applicant(
            mobile="021 2345 6789",  # a landline: no SMS can reach it
            organisation_name="Neighbourhood Helpers",
            city="Shiraz",
            province="fars",
            representative_name="Sara Karimi",
        ),
    )
    page.locator("main form button[type=submit]").click()
    error = page.locator("#id_mobile-errors")
    step(page, "the error beside the mobile")
    assert "mobile number" in error.inner_text()
    assert not PERSIAN_LETTERS.search(error.inner_text())
    assert "id_mobile-errors" in page.locator("#id_mobile").get_attribute("aria-describedby")
    assert page.locator("#id_city").input_value() == "Shiraz"

    page.locator("#id_mobile").fill(mobile)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/en/nehzat/register/*/confirm/")
    sms = site.wait_for_sms(mobile)
    assert sms.startswith("Your Social Participation Movement code:"), sms
    page.locator("#id_code").fill(code_in(sms))
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url("**/done/")
    step(page, "confirmed")
    tracking = page.locator("#tracking-code").inner_text().strip()
    assert re.fullmatch(r"[0-9]{8}", tracking), tracking
    assert page.get_by_role("heading", level=1).inner_text() == "Your registration is confirmed"

    page.get_by_role("link", name="Look up a registration").click()
    page.wait_for_url("**/en/nehzat/status/")
    page.locator("#id_tracking_code").fill(tracking)
    page.locator("#id_mobile").fill(mobile)
    page.locator("main form button[type=submit]").click()
    step(page, "looked up")
    assert "Confirmed" in page.locator("#status-result").inner_text()
