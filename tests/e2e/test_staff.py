"""Registration staff in the back office."""

import csv
import io
import json

import pytest

from tests.e2e.support import code_in, mobile_for


pytestmark = pytest.mark.e2e


def register_through_the_api(page, site, *, mobile, organisation_name, province):
    """A confirmed registration, made the way a headless client would."""
    created = page.request.post(
        "/api/registrations/",
        data=json.dumps(
            {
                "campaign": "nehzat",
                "kind": "ngo",
                "organisation_name": organisation_name,
                "province": province,
                "city": "زاهدان",
                "fields_of_activity": ["education"],
                "representative_name": "مهدی بلوچ",
                "mobile": mobile,
                "consent": True,
            }
        ),
        headers={"Content-Type": "application/json"},
    )
    assert created.status == 201, created.text()
    public_id = created.json()["public_id"]
    code = code_in(site.wait_for_sms(mobile))
    confirmed = page.request.post(
        f"/api/registrations/{public_id}/confirm/",
        data=json.dumps({"code": code}),
        headers={"Content-Type": "application/json"},
    )
    assert confirmed.status == 200, confirmed.text()
    return confirmed.json()["tracking_code"]


def test_staff_filters_by_province_and_exports_the_registration_as_csv(new_page, site, step):
    staff = new_page(viewport={"width": 1280, "height": 900})
    mobile = mobile_for("staff-export")
    organisation = "کانون نیکوکاری سیستان"
    tracking_code = register_through_the_api(
        staff, site, mobile=mobile, organisation_name=organisation, province="sistan"
    )

    staff.goto("/admin/")
    staff.locator("#id_username").fill("manager")
    staff.locator("#id_password").fill("nehzat-manager")
    staff.locator("form button[type=submit]").click()
    staff.wait_for_url("**/admin/")
    step(staff, "signed in")

    staff.goto("/admin/registrations/?province=sistan")
    listing = staff.locator("main").inner_text()
    assert organisation in listing
    assert "گروه مردمی همیاران محله" not in listing  # registrations of other provinces
    step(staff, "filtered by province")

    # The export links sit in the header's "more actions" menu, attached when it opens.
    staff.locator("header .w-dropdown__toggle.w-h-slim-header").click()
    export = staff.locator("a[href*='export=csv']")
    with staff.expect_download() as download_info:
        export.click()
    download = download_info.value
    content = download.path().read_bytes()
    step(staff, "exported")

    assert content.startswith(b"\xef\xbb\xbf"), "the CSV starts with a UTF-8 BOM for Excel"
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert any(organisation in row for row in rows[1:])
    assert any(tracking_code in row for row in rows[1:])
    assert all("سیستان و بلوچستان" in row for row in rows[1:])
