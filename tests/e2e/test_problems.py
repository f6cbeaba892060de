"""The problems register in a browser: a citizen on a 360 px phone reports a problem with a
Persian-digit mobile, is offered a likely duplicate and sends anyway; a moderator verifies it
in the admin; the public list shows it. axe-core on the report form and the public list."""

import json

import pytest

from tests.e2e.support import axe_violations, code_in, mobile_for, persian


pytestmark = pytest.mark.e2e

CITY = "اراک"
TITLE = "کودکان کار سر چهارراه‌های اراک"
DESCRIPTION = "هر روز کودکان زیادی سر چهارراه‌های مرکز شهر اراک دستفروشی می‌کنند و به مدرسه نمی‌روند."


def api(page, path, body):
    response = page.request.post(
        path, data=json.dumps(body), headers={"Content-Type": "application/json"}
    )
    assert response.status < 300, response.text()
    return response.json()


def verified_token(page, site, mobile) -> str:
    """What a headless client does: ask for a code, read it from the SMS, confirm it."""
    check = api(page, "/api/problems/codes/", {"mobile": mobile})["check_id"]
    code = code_in(site.wait_for_sms(mobile, after=len(site.sms_to(mobile)) - 1))
    return api(page, f"/api/problems/codes/{check}/confirm/", {"code": code})["token"]


def child_labour_id(page) -> int:
    taxonomy = page.request.get("/api/problems/taxonomy/").json()
    return next(
        p["id"]
        for c in taxonomy["categories"]
        for p in c["problems"]
        if p["slug"] == "child-labour"
    )


def sign_in_as_moderator(page):
    page.goto("/admin/login/")
    page.locator("#id_username").fill("moderator")
    page.locator("#id_password").fill("nehzat-moderator")
    page.locator("form button[type=submit]").click()
    page.wait_for_url("**/admin/")


def verify_in_admin(page, number, step):
    page.goto(f"/admin/problems/reports/?q={number}")
    step(page, f"queue {number}")
    page.locator(f"main a:has-text('{number}')").first.click()
    page.wait_for_url("**/inspect/**")
    page.locator("form[action*='/verify/'] button[type=submit]").click()
    page.wait_for_load_state()
    step(page, f"verified {number}")
    assert f"{persian(number)}: تأییدشده" in page.locator("body").inner_text()


def test_a_citizen_on_a_phone_reports_a_problem_a_moderator_verifies_it(new_page, site, step):
    moderator = new_page(viewport={"width": 1280, "height": 900})
    problem = child_labour_id(moderator)
    # An open report of the same problem in the same city, verified, already there.
    earlier = api(
        moderator,
        "/api/problems/reports/",
        {
            "token": verified_token(moderator, site, mobile_for("problems-earlier")),
            "problem": problem,
            "title": "کودکان کار در چهارراه‌های اراک",
            "description": "کودکان کار در چهارراه‌های مرکز شهر اراک دستفروشی می‌کنند.",
            "province": "markazi",
            "city": CITY,
            "people_affected": "11-100",
            "since": "years",
            "send_anyway": True,
        },
    )["number"]
    sign_in_as_moderator(moderator)
    verify_in_admin(moderator, earlier, step)

    citizen = new_page(has_touch=True)
    citizen.goto("/problems/report/")
    citizen.wait_for_url("**/problems/report/mobile/")
    mobile = mobile_for("problems-citizen")
    citizen.locator("#id_mobile").fill(persian(mobile))
    citizen.locator("form button[type=submit]").tap()
    citizen.wait_for_url("**/problems/report/code/")
    step(citizen, "code asked")
    citizen.locator("#id_code").fill(persian(code_in(site.wait_for_sms(mobile))))
    citizen.locator("form button[type=submit]").tap()
    citizen.wait_for_url("**/problems/report/")
    assert citizen.evaluate("() => document.documentElement.scrollWidth") <= 360

    citizen.locator("#id_problem").select_option(str(problem))
    citizen.locator("#id_title").fill(TITLE)
    citizen.locator("#id_description").fill(DESCRIPTION)
    citizen.locator("#id_province").select_option("markazi")
    citizen.locator("#id_city").fill(CITY)
    citizen.locator("input[name=people_affected][value='101-1000']").check()
    citizen.locator("input[name=since][value=months]").check()
    step(citizen, "form filled")
    citizen.locator("form.form button[type=submit]").tap()

    duplicates = citizen.locator("#duplicates")
    duplicates.wait_for()
    step(citizen, "duplicates offered")
    assert "کودکان کار در چهارراه‌های اراک" in duplicates.inner_text()
    assert duplicates.locator(f"a[href='/problems/{earlier}/']").count() == 1
    # Not this one: the citizen's problem is another; send anyway (the fields are kept).
    assert citizen.locator("#id_title").input_value() == TITLE
    citizen.locator("#id_send_anyway").check()
    citizen.locator("form.form button[type=submit]").tap()
    citizen.wait_for_url("**/problems/report/sent/**")
    step(citizen, "sent")
    receipt = site.wait_for_sms(mobile, after=1)
    number = next(word for word in receipt.split() if word.isdigit() and len(word) == 7)
    assert persian(number) in citizen.locator("main").inner_text()

    # Not public before a moderator verifies it.
    assert citizen.goto(f"/problems/{number}/").status == 404
    verify_in_admin(moderator, number, step)
    assert "تأیید" in site.wait_for_sms(mobile, after=2)  # the status-change SMS

    citizen.goto("/problems/?province=markazi")
    step(citizen, "public list")
    listing = citizen.locator("main").inner_text()
    assert TITLE in listing
    citizen.locator(f"a[href='/problems/{number}/']").tap()
    citizen.wait_for_url(f"**/problems/{number}/")
    page_text = citizen.locator("main").inner_text()
    assert DESCRIPTION[:20] in page_text
    assert mobile not in page_text and persian(mobile) not in page_text
    assert citizen.evaluate("() => document.documentElement.scrollWidth") <= 360


@pytest.mark.parametrize(("prefix", "locale"), [("", "fa-IR"), ("/en", "en-GB")])
def test_the_report_form_and_the_public_list_pass_axe(
    new_page, site, step, axe_source, prefix, locale
):
    page = new_page(locale=locale)
    token = verified_token(page, site, mobile_for(f"problems-axe-{locale}"))
    page.goto(f"{prefix}/problems/report/?t={token}")
    assert page.locator("#id_title").count() == 1
    step(page, f"report form {locale}")
    violations = axe_violations(page, axe_source)
    assert not violations, "\n".join(violations)

    # The form with its errors shown (an empty send) is checked too.
    page.locator("form.form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(".errorlist, [role=alert]").count() > 0
    violations = axe_violations(page, axe_source)
    assert not violations, "\n".join(violations)

    page.goto(f"{prefix}/problems/")
    step(page, f"public list {locale}")
    violations = axe_violations(page, axe_source)
    assert not violations, "\n".join(violations)
