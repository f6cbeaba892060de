"""A registered group's account in the browser: sign in on a phone, edit, staff accept it.

The group signs in at /account/ on a 360 px phone with its mobile typed in Persian digits
and the code the fake SMS provider was asked to deliver; edits its capacities on an
approved registration and sees the change pending; staff (`manager`) accept it in the
admin, and it is then in the registration's history and the CSV export. axe-core finds no
serious issue on any account page, in Persian and in English.
"""

import csv
import io

import pytest

from persian.text import to_ascii_digits
from tests.e2e.pages import OVERFLOW_X
from tests.e2e.support import axe_violations, code_in, mobile_for, persian
from tests.e2e.test_staff import register_through_the_api


pytestmark = pytest.mark.e2e

PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}


def staff_signs_in(staff) -> None:
    staff.goto("/admin/")
    staff.locator("#id_username").fill("manager")
    staff.locator("#id_password").fill("nehzat-manager")
    staff.locator("form button[type=submit]").click()
    staff.wait_for_url("**/admin/")


def approve(staff, tracking_code: str) -> str:
    """Staff approve the registration from its inspect view; its inspect URL is returned."""
    staff.goto(f"/admin/registrations/?q={tracking_code}")
    staff.locator("main a[href*='/admin/registrations/inspect/']").first.click()
    staff.wait_for_url("**/inspect/**")
    inspect_url = staff.url
    staff.locator(".nehzat-review form[action*='approve'] button").click()
    staff.wait_for_load_state()
    return inspect_url


def group_signs_in(page, site, mobile: str, prefix: str = "") -> None:
    seen = len(site.sms_to(mobile))
    page.goto(f"{prefix}/account/")
    page.locator("#id_mobile").fill(persian(mobile))  # typed on a Persian keyboard
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/account/code/")
    code = code_in(site.wait_for_sms(mobile, after=seen))
    page.locator("#id_code").fill(persian(code))
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(f"**{prefix}/account/")


def test_a_group_edits_its_capacities_on_a_phone_and_staff_accept_the_change(new_page, site, step):
    mobile = mobile_for("account capacities")
    staff = new_page(viewport=DESKTOP)
    tracking_code = register_through_the_api(
        staff, site, mobile=mobile, organisation_name="گروه جهادی امید", province="fars"
    )
    staff_signs_in(staff)
    inspect_url = approve(staff, tracking_code)
    step(staff, "approved")

    phone = new_page(viewport=PHONE)
    group_signs_in(phone, site, mobile)
    my_group = phone.locator("main").inner_text()
    assert "گروه من" in my_group and persian(tracking_code) in my_group
    assert phone.evaluate(OVERFLOW_X) <= 0, "no sideways scrolling on a 360 px phone"
    step(phone, "my group")

    phone.locator(f"main a[href='/account/registrations/{tracking_code}/']").click()
    phone.locator("input[name=capacities][value=volunteers]").check()
    phone.locator("input[name=capacities][value=venue]").check()
    phone.locator("main form button[type=submit]").click()
    phone.wait_for_selector("#pending-change")
    assert "در انتظار" in phone.locator("#pending-change").inner_text()
    assert phone.locator("input[name=capacities][value=volunteers]").is_checked()
    assert phone.evaluate(OVERFLOW_X) <= 0
    step(phone, "change pending")
    phone.goto("/account/")
    assert "در انتظار بررسی" in phone.locator(f"#registration-{tracking_code}").inner_text()

    # The approved values stay in the export until staff accept the change.
    def export_row() -> list[str]:
        response = staff.request.get("/admin/registrations/?export=csv")
        rows = list(csv.reader(io.StringIO(response.body().decode("utf-8-sig"))))
        return next(row for row in rows if tracking_code in row)

    assert not any("نیروی داوطلب" in cell for cell in export_row())

    staff.goto("/admin/proposed-changes/")
    staff.locator("main tr", has_text=tracking_code).locator("a[href*='/review/']").first.click()
    assert "نیروی داوطلب" in staff.locator("main").inner_text() or "volunteers" in staff.content()
    step(staff, "review")
    staff.locator("button[value=accept]").click()
    staff.wait_for_load_state()
    step(staff, "accepted")

    history_url = inspect_url.replace("/inspect/", "/history/")
    staff.goto(history_url)
    assert "volunteers" in staff.locator("main").inner_text()
    step(staff, "history")
    assert any("نیروی داوطلب" in cell for cell in export_row())

    phone.goto(f"/account/registrations/{tracking_code}/")
    assert phone.locator("#pending-change").count() == 0


def test_another_groups_pages_are_not_found(new_page, site):
    mine, theirs = mobile_for("account mine"), mobile_for("account theirs")
    page = new_page(viewport=PHONE)
    register_through_the_api(page, site, mobile=mine, organisation_name="گروه الف", province="fars")
    other_code = register_through_the_api(
        page, site, mobile=theirs, organisation_name="گروه ب", province="fars"
    )
    group_signs_in(page, site, mine)
    for path in (
        f"/account/registrations/{other_code}/",
        f"/account/registrations/{other_code}/withdraw/",
        f"/en/account/registrations/{other_code}/",
    ):
        assert page.goto(path).status == 404, path
    assert page.goto("/admin/").url.split("?")[0].endswith("/admin/login/")


ACCOUNT_PAGES = ["sign-in", "code", "my-group", "profile", "members", "mobile", "withdraw"]


@pytest.mark.parametrize("language", ["fa", "en"])
def test_the_account_pages_have_no_serious_accessibility_issue(
    new_page, site, axe_source, step, language
):
    prefix, locale = ("", "fa-IR") if language == "fa" else ("/en", "en-GB")
    mobile = mobile_for(f"account a11y {language}")
    page = new_page(viewport=PHONE, locale=locale)
    tracking_code = register_through_the_api(
        page, site, mobile=mobile, organisation_name="گروه دسترس‌پذیری", province="fars"
    )
    problems = {}

    def check(name):
        step(page, name)
        problems[name] = axe_violations(page, axe_source)

    seen = len(site.sms_to(mobile))
    page.goto(f"{prefix}/account/")
    check("sign-in")
    page.locator("#id_mobile").fill(mobile)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/account/code/")
    check("code")
    page.locator("#id_code").fill(to_ascii_digits(code_in(site.wait_for_sms(mobile, after=seen))))
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(f"**{prefix}/account/")
    check("my-group")
    for name, path in (
        ("profile", f"registrations/{tracking_code}/"),
        ("members", "members/"),
        ("mobile", "mobile/"),
        ("withdraw", f"registrations/{tracking_code}/withdraw/"),
    ):
        page.goto(f"{prefix}/account/{path}")
        check(name)
    assert list(problems) == ACCOUNT_PAGES
    assert not any(problems.values()), problems
