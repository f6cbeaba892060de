"""The atlas in a browser: axe-clean in both languages, provinces reached by keyboard, and a
visitor on a 360 px phone taps a province and reads its figures."""

import pytest

from tests.e2e.support import axe_violations


pytestmark = pytest.mark.e2e


@pytest.mark.parametrize(("prefix", "locale"), [("", "fa-IR"), ("/en", "en-GB")])
def test_the_atlas_passes_axe(new_page, step, axe_source, prefix, locale):
    page = new_page(locale=locale)
    page.goto(f"{prefix}/atlas/")
    assert page.locator("svg.atlas-map__svg a").count() == 31
    step(page, f"atlas {locale}")
    violations = axe_violations(page, axe_source)
    assert not violations, "\n".join(violations)


def test_the_provinces_are_reached_with_the_keyboard(new_page):
    page = new_page(viewport={"width": 1280, "height": 900})
    page.goto("/en/atlas/")
    reached = set()
    for _ in range(120):
        page.keyboard.press("Tab")
        province = page.evaluate("() => document.activeElement.getAttribute('data-province')")
        if province:
            reached.add(province)
    assert len(reached) == 31


def test_a_visitor_on_a_phone_taps_a_province_and_reads_its_figures(new_page, step):
    page = new_page(has_touch=True)
    page.goto("/atlas/")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 360
    page.locator('svg a[data-province="isfahan"] path').tap()
    page.wait_for_url("**/atlas/province/isfahan/")
    step(page, "province page")
    assert page.locator("h1").inner_text() == "اصفهان"
    assert page.locator(".atlas__figures dd").first.inner_text()
    captions = page.locator("table caption").all_inner_texts()
    assert captions[0] == "مسائل پرتکرار"  # its top problems first
    assert "گروه‌ها بر پایهٔ حوزهٔ فعالیت" in captions and "مداخله‌ها به تفکیک مرحله" in captions
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 360


@pytest.mark.parametrize("path", ["/atlas/gap/", "/en/atlas/problems/", "/atlas/province/tehran/"])
def test_the_problems_gap_and_province_pages_pass_axe(new_page, axe_source, path):
    page = new_page(locale="en-GB" if path.startswith("/en/") else "fa-IR")
    page.goto(path)
    violations = axe_violations(page, axe_source)
    assert not violations, "\n".join(violations)
