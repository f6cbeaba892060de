"""Interventions in a browser, on the demo `make run` builds: the public pages pass axe in
Persian and English, and the demo facilitator, signed in on a phone, records progress that
the public page then shows."""

import re

import pytest

from interventions.demo import DEMO_MOBILES, DEMO_TITLE
from tests.e2e.support import axe_violations, code_in


pytestmark = pytest.mark.e2e

# The demo's seventh mobile is its facilitator's (interventions/demo.py: reports, groups, then it).
FACILITATOR = DEMO_MOBILES[6]


def demo_page(page, prefix: str) -> str:
    page.goto(f"{prefix}/interventions/")
    # By title: test_intervention_flow.py adds another intervention to the same demo.
    link = page.locator(".intervention-card h2 a", has_text=DEMO_TITLE)
    href = link.get_attribute("href")
    link.click()
    page.wait_for_url(f"**{href}")
    return href


@pytest.mark.parametrize(("prefix", "locale"), [("", "fa-IR"), ("/en", "en-GB")])
def test_the_public_pages_pass_axe(new_page, step, axe_source, prefix, locale):
    page = new_page(locale=locale)
    page.goto(f"{prefix}/interventions/")
    assert page.locator(".intervention-card").count() >= 1
    violations = axe_violations(page, axe_source)
    assert not violations, "\n".join(violations)
    demo_page(page, prefix)
    step(page, f"intervention {locale}")
    assert page.locator("[aria-current=step]").count() == 1
    violations = axe_violations(page, axe_source)
    assert not violations, "\n".join(violations)


def test_the_facilitator_records_progress_from_a_phone(new_page, site, step, axe_source):
    page = new_page(has_touch=True)
    public = demo_page(page, "")
    before = page.locator("[data-progress]").inner_text()
    seen = len(site.sms_to(FACILITATOR))  # another test may have signed it in already
    page.goto("/account/")
    page.locator("#id_mobile").fill("0" + FACILITATOR.removeprefix("+98"))
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/account/code/")
    page.locator("#id_code").fill(code_in(site.wait_for_sms(FACILITATOR, after=seen)))
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url("**/account/")
    page.goto("/interventions/manage/")
    page.locator("main li a", has_text=DEMO_TITLE).click()
    page.wait_for_url("**/interventions/manage/*/")
    step(page, "facilitator page")
    violations = axe_violations(page, axe_source)
    assert not violations, "\n".join(violations)

    progress = page.locator("form[data-form=progress]")
    progress.locator("select[name=activity]").select_option(index=2)
    progress.locator("textarea[name=text]").fill("دو جلسهٔ مشاوره برگزار شد")
    progress.locator("input[name=happened_on]").fill("۱۴۰۵/۰۹/۱۰")
    progress.locator("button[type=submit]").click()
    page.wait_for_selector(".messages")
    done = page.locator("form[data-form=done]")
    done.locator("select[name=activity]").select_option(index=2)
    done.locator("input[name=done]").check()
    done.locator("button[type=submit]").click()
    page.wait_for_selector(".messages")
    assert "دو جلسهٔ مشاوره برگزار شد" in page.content()

    page.goto(public)
    after = page.locator("[data-progress]").inner_text()
    step(page, "public page after")
    assert re.sub(r"\D", "", before) != re.sub(r"\D", "", after)
    assert after == "۶۶%"
