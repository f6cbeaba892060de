"""Accessibility of the visitor's pages, Persian and English, on a phone.

On each page a visitor meets, axe-core (npm, injected from node_modules) finds no serious
or critical violation, colour contrast included, and touch targets are at least 44 px (one
test per page, as reaching some pages takes a whole registration). The registration works
with the keyboard alone, with the focus always visible; errors are tied to their fields and
announced; the video has a poster, controls and a text alternative.
"""

import re

import pytest

from persian.text import to_ascii_digits
from tests.e2e.pages import FOCUS_STATE, TOUCH_TARGETS
from tests.e2e.support import (
    Applicant,
    axe_violations,
    code_in,
    fill_registration,
    mobile_for,
    persian,
)


pytestmark = pytest.mark.e2e

LANGUAGES = {"fa": ("", "fa-IR"), "en": ("/en", "en-GB")}
STATES = [
    "campaign",
    "registration",
    "registration-errors",
    "confirmation",
    "done",
    "status",
    "status-result",
    "search",
]
MIN_TARGET = 44


def open_state(page, site, language: str, state: str) -> None:
    """Bring the page to one of the visitor's STATES, the way a visitor gets there."""
    prefix, _ = LANGUAGES[language]
    if state == "campaign":
        page.goto(f"{prefix}/nehzat/")
    elif state == "search":
        page.goto(f"{prefix}/search/?q={'نهضت' if language == 'fa' else 'participation'}")
        assert page.locator(".search-results li").count() >= 1
    elif state == "status":
        page.goto(f"{prefix}/nehzat/status/")
    elif state == "registration":
        page.goto(f"{prefix}/nehzat/register/")
    elif state == "registration-errors":
        page.goto(f"{prefix}/nehzat/register/")
        page.locator("main form button[type=submit]").click()
        page.wait_for_selector(".field__error")
    else:
        mobile = mobile_for(f"a11y {language} {state}")
        page.goto(f"{prefix}/nehzat/register/")
        fill_registration(page, Applicant(mobile=mobile))
        page.locator("main form button[type=submit]").click()
        page.wait_for_url("**/confirm/")
        if state == "confirmation":
            return
        page.locator("#id_code").fill(code_in(site.wait_for_sms(mobile)))
        page.locator("main form button[type=submit]").first.click()
        page.wait_for_url("**/done/")
        if state == "done":
            return
        tracking = to_ascii_digits(page.locator("#tracking-code").inner_text())
        page.goto(f"{prefix}/nehzat/status/")
        page.locator("#id_tracking_code").fill(tracking)
        page.locator("#id_mobile").fill(mobile)
        page.locator("main form button[type=submit]").click()
        page.wait_for_selector("#status-result")


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("language", LANGUAGES)
def test_page_passes_axe_and_its_touch_targets_are_44px(
    new_page, site, step, axe_source, language, state
):
    page = new_page(locale=LANGUAGES[language][1])
    open_state(page, site, language, state)
    step(page, f"{language} {state}")

    violations = axe_violations(page, axe_source)
    assert not violations, "\n".join(violations)
    targets = page.evaluate(TOUCH_TARGETS)
    assert targets
    small = [t for t in targets if t["width"] < MIN_TARGET or t["height"] < MIN_TARGET]
    assert not small, "\n".join(f"{t['width']}×{t['height']} {t['what']}" for t in small)


def _tab_to(page, selector: str, stops: list, limit: int = 80) -> None:
    """Press Tab until `selector` has the focus, noting how each stop shows its focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        state = page.evaluate(FOCUS_STATE)
        stops.append(state)
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}; stops: {[s and s['id'] for s in stops]}")


def test_registration_with_the_keyboard_alone(new_page, site, step):
    mobile = mobile_for("keyboard only")
    page = new_page()
    page.goto("/nehzat/register/")
    stops: list = []

    _tab_to(page, ".skip-link", stops)
    assert page.locator(".skip-link").is_visible()
    page.keyboard.press("Enter")
    _tab_to(page, "input[name=kind]", stops)
    page.keyboard.press("Space")
    _tab_to(page, "#id_organisation_name", stops)
    page.keyboard.type("گروه مردمی صفحه‌کلید")
    _tab_to(page, "#id_province", stops)
    for _ in range(8):  # the eighth province, Tehran
        page.keyboard.press("ArrowDown")
    assert page.locator("#id_province").input_value() == "tehran"
    _tab_to(page, "#id_city", stops)
    page.keyboard.type("تهران")
    _tab_to(page, "input[name=fields_of_activity]", stops)
    page.keyboard.press("Space")
    _tab_to(page, "#id_representative_name", stops)
    page.keyboard.type("علی رضایی")
    _tab_to(page, "#id_mobile", stops)
    page.keyboard.type(persian(mobile))
    _tab_to(page, "#id_consent", stops)
    page.keyboard.press("Space")
    _tab_to(page, "main form button[type=submit]", stops)
    step(page, "filled with the keyboard")
    page.keyboard.press("Enter")

    page.wait_for_url("**/confirm/")
    _tab_to(page, "#id_code", stops)
    page.keyboard.type(persian(code_in(site.wait_for_sms(mobile))))
    page.keyboard.press("Enter")
    page.wait_for_url("**/done/")
    step(page, "confirmed with the keyboard")
    assert page.locator("#tracking-code").is_visible()
    assert page.locator("input[name=kind]").count() == 0

    stops = [s for s in stops if s]
    assert not [s for s in stops if s["id"] == "id_website"], "the honeypot took the focus"
    unseen = [s for s in stops if s["outline"] == "none" and s["boxShadow"] == "none"]
    assert not unseen, f"focus not visible on {unseen}"
    faint = [s for s in stops if s["outline"] != "none" and s["contrast"] < 3]
    assert not faint, f"focus outline below 3:1 against its background on {faint}"


def test_errors_are_listed_linked_to_their_fields_and_announced(new_page, step):
    page = new_page()
    page.goto("/nehzat/register/")
    page.locator("main form button[type=submit]").click()
    summary = page.locator("#form-errors")
    step(page, "errors")

    # The summary is announced and takes the focus, so a screen reader reads it first.
    assert summary.get_attribute("role") == "alert"
    assert page.evaluate("() => document.activeElement.id") == "form-errors"
    invalid = page.locator("[aria-invalid=true]")
    assert invalid.count() >= 5
    for i in range(invalid.count()):
        field = invalid.nth(i)
        field_id = field.get_attribute("id")
        described = field.get_attribute("aria-describedby") or ""
        errors_id = f"{field_id}-errors"
        if not re.match(r"id_(kind|fields_of_activity)_\d+$", field_id):
            assert errors_id in described.split(), field_id
        error = page.locator(f"[id='{errors_id}']")
        if not error.count():  # a radio or checkbox group: the error is on its fieldset
            group = field_id.rsplit("_", 1)[0]
            error = page.locator(f"[id='{group}-errors']")
            assert f"{group}-errors" in page.locator(
                f"[id='{group}-field'] fieldset"
            ).get_attribute("aria-describedby")
        assert error.get_attribute("role") == "alert"
        assert error.inner_text().strip()
    # Each error in the summary links to its field.
    links = summary.locator("a[href^='#id_']")
    assert links.count() == page.locator(".field__error p").count()
    links.first.click()
    assert page.evaluate("() => document.activeElement.id").startswith("id_")


def test_videos_have_a_poster_controls_and_a_text_alternative(new_page):
    page = new_page()
    page.goto("/nehzat/")
    videos = page.locator("main video")
    assert videos.count() >= 1
    for i in range(videos.count()):
        video = videos.nth(i)
        assert video.get_attribute("controls") is not None
        poster = video.get_attribute("poster")
        assert poster
        response = page.request.get(poster)
        assert response.ok and response.headers["content-type"].startswith("image/")
        assert (video.get_attribute("aria-label") or "").strip()
        transcript = page.locator(f"[id='{video.get_attribute('aria-describedby')}']")
        assert len(transcript.text_content().strip()) > 20
