"""Issue 18's scenario in a browser, on the demo `make run` builds: the coordinator opens an
intervention for a verified report in the admin, invites two matched groups, one accepts from
its phone (the SMS link, signing in with the code, coming back to the invitation), the stages
are recorded up to the evaluation and closed, and the public page shows progress and outcome
in Persian and English. axe-core finds no serious issue on the public and group pages."""

import json

import pytest

from interventions.demo import DEMO_MOBILES
from tests.e2e.support import axe_violations, code_in, link_in, mobile_for, persian


pytestmark = pytest.mark.e2e

PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}
TITLE = "آزمون: اشتغال جوانان نازی‌آباد"
# The demo's third report is verified and in no intervention (interventions/demo.py).
REPORT = "نمونه: بیکاری جوانان محله"
# The demo facilitator (its seventh mobile): signs in like a group, records at /interventions/manage/.
FACILITATOR = "0" + DEMO_MOBILES[6].removeprefix("+98")
GROUPS = ["آزمون: کانون کار جوانان", "آزمون: انجمن مهارت محله"]


def register(page, site, *, mobile, organisation_name) -> str:
    """A confirmed group in Tehran that fits a jobs problem (training), through the API."""
    created = page.request.post(
        "/api/registrations/",
        data=json.dumps(
            {
                "campaign": "nehzat",
                "kind": "ngo",
                "organisation_name": organisation_name,
                "province": "tehran",
                "city": "تهران",
                "fields_of_activity": ["employment", "education"],
                "capacities": ["training", "volunteers"],
                "representative_name": "مریم رضایی",
                "mobile": mobile,
                "consent": True,
            }
        ),
        headers={"Content-Type": "application/json"},
    )
    assert created.status == 201, created.text()
    code = code_in(site.wait_for_sms(mobile))
    confirmed = page.request.post(
        f"/api/registrations/{created.json()['public_id']}/confirm/",
        data=json.dumps({"code": code}),
        headers={"Content-Type": "application/json"},
    )
    assert confirmed.status == 200, confirmed.text()
    return confirmed.json()["tracking_code"]


def clean(page, axe_js) -> None:
    violations = axe_violations(page, axe_js)
    assert not violations, "\n".join(violations)


def coordinator_signs_in(page) -> None:
    page.goto("/admin/")
    page.locator("#id_username").fill("coordinator")
    page.locator("#id_password").fill("nehzat-coordinator")
    page.locator("form button[type=submit]").click()
    page.wait_for_url("**/admin/")


def approve_as_manager(page, tracking_codes) -> None:
    page.goto("/admin/")
    page.locator("#id_username").fill("manager")
    page.locator("#id_password").fill("nehzat-manager")
    page.locator("form button[type=submit]").click()
    page.wait_for_url("**/admin/")
    for code in tracking_codes:
        page.goto(f"/admin/registrations/?q={code}")
        page.locator("main a[href*='/admin/registrations/inspect/']").first.click()
        page.wait_for_url("**/inspect/**")
        page.locator(".nehzat-review form[action*='approve'] button").click()
        page.wait_for_load_state()


def record(page, name: str, fill) -> None:
    form = page.locator(f"form[data-form={name}]")
    fill(form)
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    errors = page.locator(".messages .error, .messages [class*=error]")
    assert errors.count() == 0, errors.all_inner_texts()


def move_on(page, action: str = "advance") -> None:
    page.locator(f"form[action*='{action}'] button[type=submit]").click()
    page.wait_for_load_state()


def signs_in(page, site, mobile: str) -> None:
    seen = len(site.sms_to(mobile))
    page.locator("#id_mobile").fill(persian(mobile))
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/account/code/")
    page.locator("#id_code").fill(persian(code_in(site.wait_for_sms(mobile, after=seen))))
    page.locator("main form button[type=submit]").first.click()


def test_a_coordinator_takes_a_report_to_a_closed_intervention_with_matched_groups(
    new_page, site, step, axe_source
):
    mobiles = [mobile_for(f"intervention flow {n}") for n in range(2)]
    admin = new_page(viewport=DESKTOP)
    codes = [
        register(admin, site, mobile=mobile, organisation_name=name)
        for mobile, name in zip(mobiles, GROUPS, strict=True)
    ]
    approve_as_manager(admin, codes)

    # The demo facilitator signs in on a phone; its tracking code is on its account page.
    facilitator = new_page(viewport=PHONE, has_touch=True)
    facilitator.goto("/account/")
    signs_in(facilitator, site, FACILITATOR)
    facilitator.wait_for_url("**/account/")
    card = facilitator.locator("li.registration-card").first.get_attribute("id")
    facilitator_code = card.removeprefix("registration-")

    # The coordinator opens the intervention for the verified report, with that facilitator.
    admin = new_page(viewport=DESKTOP)
    coordinator_signs_in(admin)
    admin.goto("/admin/interventions/open/")
    admin.locator("label", has_text=REPORT).locator("input").check()
    admin.locator("#id_title").fill(TITLE)
    admin.locator("#id_aim").fill("آزمون: کار برای جوانان محله با مهارت‌آموزی گروه‌های محله")
    admin.locator("#id_province").select_option("tehran")
    admin.locator("#id_city").fill("تهران")
    admin.locator("#id_start_date").fill("۱۴۰۵/۰۹/۰۱")
    admin.locator("#id_facilitator_registration").fill(persian(facilitator_code))
    admin.locator("main form button[type=submit]").last.click()
    admin.wait_for_url("**/admin/interventions/inspect/**")
    inspect = admin.url
    step(admin, "opened")

    # Matched groups, with reasons; both new groups invited (one SMS each).
    seen = [len(site.sms_to(m)) for m in mobiles]
    for name in GROUPS:
        admin.locator("label", has_text=name).locator("input[name=group]").check()
    admin.locator("form[action*='/invite/'] button[type=submit]").click()
    admin.wait_for_load_state()
    invitations = [site.wait_for_sms(m, after=s) for m, s in zip(mobiles, seen, strict=True)]
    assert all(TITLE in text for text in invitations)
    step(admin, "invited")

    # The first group opens its link on its phone, signs in and comes back to it.
    phone = new_page(viewport=PHONE, has_touch=True)
    phone.goto(link_in(invitations[0]))
    assert TITLE in phone.locator("main").inner_text()
    assert GROUPS[0] not in phone.content(), "nothing of the group before sign-in"
    clean(phone, axe_source)
    phone.locator("main a[href^='/account/?next=']").click()
    phone.wait_for_url("**/account/?next=*")
    signs_in(phone, site, mobiles[0])
    phone.wait_for_url("**/account/invitations/*/")
    step(phone, "invitation signed in")
    clean(phone, axe_source)
    phone.locator("input[name=capacities][value=training]").check()
    phone.locator("input[name=show_name]").check()
    phone.locator("button[name=answer][value=accept]").click()
    phone.wait_for_url("**/account/invitations/")
    assert TITLE in phone.locator("main").inner_text()
    step(phone, "accepted")
    clean(phone, axe_source)

    # The coordinator sees the answers.
    admin.goto(inspect)
    answers = admin.locator("#invitations-heading + p").inner_text()
    assert "۱" in answers
    step(admin, "answers")

    # The facilitator records each stage on its phone, up to the evaluation.
    facilitator.goto("/interventions/manage/")
    facilitator.locator("main li a", has_text=TITLE).click()
    facilitator.wait_for_url("**/interventions/manage/*/")
    clean(facilitator, axe_source)
    admin_page, admin = admin, facilitator
    record(admin, "findings", lambda f: f.locator("textarea").fill("آزمون: دو جلسهٔ محله"))
    record(
        admin,
        "consultation",
        lambda f: (
            f.locator("select").first.select_option(index=1),
            f.locator("input[name=count]").fill("۲۵"),
        ),
    )
    move_on(admin)
    record(admin, "need", lambda f: f.locator("input[name=title]").fill("آزمون: کارگاه مهارت"))
    record(admin, "need", lambda f: f.locator("input[name=title]").fill("آزمون: بازارچهٔ کار"))
    record(
        admin,
        "decide",
        lambda f: [
            box.fill(persian(str(n)))
            for n, box in enumerate(f.locator("input[name^=need_]").all(), 1)
        ],
    )
    move_on(admin)
    record(admin, "plan", lambda f: f.locator("textarea").fill("آزمون: دو ماه کارگاه"))
    record(admin, "objective", lambda f: f.locator("input[name=title]").fill("آزمون: مهارت"))

    def activity(form):
        form.locator("select[name=objective]").select_option(index=1)
        form.locator("input[name=title]").fill("آزمون: کارگاه نجاری")
        form.locator("select[name=responsible]").select_option(index=1)
        form.locator("input[name=starts_on]").fill("۱۴۰۵/۰۹/۰۱")
        form.locator("input[name=ends_on]").fill("۱۴۰۵/۱۰/۱۵")
        form.locator("input[name=resources_needed][value=training]").check()

    record(admin, "activity", activity)
    move_on(admin)

    def progress(form):
        form.locator("select[name=activity]").select_option(index=1)
        form.locator("textarea[name=text]").fill("آزمون: نخستین کارگاه برگزار شد")
        form.locator("input[name=happened_on]").fill("۱۴۰۵/۰۹/۱۰")

    record(admin, "progress", progress)

    def done(form):
        form.locator("select[name=activity]").select_option(index=1)
        form.locator("input[name=done]").check()

    record(admin, "done", done)
    move_on(admin)

    def evaluation(form):
        form.locator("select[name=outcome]").select_option("resolved")
        form.locator("textarea[name=summary]").fill("آزمون: دوازده جوان کار پیدا کردند")
        form.locator("textarea[name=lessons]").fill("آزمون: کارگاه‌های کوتاه بهتر بودند")

    record(admin, "evaluation", evaluation)
    step(admin, "evaluation recorded")
    clean(admin, axe_source)

    # Closing tells the reporters their problem's fate: the coordinator's, in the admin.
    admin_page.goto(inspect)
    move_on(admin_page, "close")
    step(admin_page, "closed")

    # The public page, in Persian and in English.
    page = new_page()
    page.goto("/interventions/")
    page.locator(".intervention-card h2 a", has_text=TITLE).click()
    page.wait_for_url("**/interventions/*/")
    public = page.url.removeprefix(site.url)
    text = page.locator("main").inner_text()
    step(page, "public fa")
    assert page.locator("[data-progress]").inner_text() == "۱۰۰%"
    assert "دوازده جوان کار پیدا کردند" in text
    assert GROUPS[0] in text and GROUPS[1] not in text
    clean(page, axe_source)
    english = new_page(locale="en-GB")
    english.goto(f"/en{public}")
    step(english, "public en")
    assert english.locator("[data-progress]").inner_text() == "100%"
    assert "The problems were resolved" in english.locator("main").inner_text()
    clean(english, axe_source)
