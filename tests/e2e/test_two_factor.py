"""A superuser turns on two-factor sign-in in the browser, then signs in with a code.

The demo's `admin` account is used by no other browser test. The code is computed from the
key shown on the page, the way an authenticator app computes it after the key is typed in.
"""

from base64 import b32decode

import pytest
from django_otp.oath import totp

from persian.text import to_persian_digits


pytestmark = pytest.mark.e2e


def sign_in(page, code=None):
    page.goto("/admin/login/")
    page.locator("#id_username").fill("admin")
    page.locator("#id_password").fill("nehzat-admin")
    if code is not None:
        page.locator("#id_otp_token").fill(code)
    page.locator("form button[type=submit]").click()


def test_admin_turns_on_two_factor_and_then_signs_in_with_a_code(new_page, step):
    page = new_page(viewport={"width": 1280, "height": 900})
    sign_in(page)
    page.wait_for_url("**/admin/")

    page.goto("/admin/account/")
    page.locator("#tab-label-actions").click()
    page.locator("a[href='/admin/account/two-factor/']").click()
    page.wait_for_url("**/admin/account/two-factor/")
    step(page, "two-factor off")
    page.locator("form:has(input[value=start]) button[type=submit]").click()

    qr = page.locator(".nehzat-twofactor__qr svg")
    qr.wait_for()
    box = qr.bounding_box()
    assert box["width"] >= 200 and box["height"] >= 200
    step(page, "QR code shown")
    key = b32decode(page.locator("[data-secret]").inner_text().replace(" ", ""))

    page.locator("#id_otp_token").fill(to_persian_digits(f"{totp(key):06d}"))
    page.locator("#id_password").fill("nehzat-admin")
    page.locator("form:has(input[value=confirm]) button[type=submit]").click()
    page.wait_for_selector("[data-twofactor=on]")
    step(page, "two-factor on")

    page.context.clear_cookies()  # signed out
    sign_in(page)
    assert "کد شش‌رقمی" in page.locator(".messages").inner_text()
    assert "/admin/login/" in page.url
    step(page, "password alone refused")

    # The enrolment used this time step's code; the app's next one signs in.
    sign_in(page, f"{totp(key, drift=1):06d}")
    page.wait_for_url("**/admin/")
    step(page, "signed in with a code")
