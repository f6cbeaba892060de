"""An editor changes the campaign in the admin; visitors see it on their next view."""

import json

import pytest


pytestmark = pytest.mark.e2e


def test_editor_publishes_a_goal_and_the_visitor_sees_it(new_page, site, step):
    visitor = new_page()
    visitor.goto("/nehzat/")
    goal = visitor.locator("main .goal p").first
    old_text = goal.inner_text().strip()
    new_text = "هدف بازنویسی‌شده توسط ویراستار برای آزمون"
    assert new_text not in visitor.content()

    admin = new_page(viewport={"width": 1280, "height": 900})
    admin.goto("/admin/")
    admin.locator("#id_username").fill("editor")
    admin.locator("#id_password").fill("nehzat-editor")
    admin.locator("form button[type=submit]").click()
    admin.wait_for_url("**/admin/")
    step(admin, "signed in")

    pages = json.loads(
        admin.request.get("/api/v2/pages/?type=campaigns.CampaignPage&slug=nehzat&locale=fa").text()
    )
    (campaign,) = pages["items"]
    admin.goto(f"/admin/pages/{campaign['id']}/edit/")
    field_id = admin.evaluate(
        """(text) => [...document.querySelectorAll("textarea[name*='-goals-']")]
                      .find((t) => t.value.replace(/\\s+/g, " ").trim() === text)?.id""",
        " ".join(old_text.split()),
    )
    assert field_id, "the first goal's text is not in the editor"
    admin.locator(f"[id='{field_id}']").fill(new_text)
    step(admin, "goal edited")
    admin.locator("footer .w-dropdown__toggle").click()
    admin.locator("button[name=action-publish]").click()
    admin.wait_for_url(lambda url: "/edit/" not in url)
    step(admin, "published")
    assert admin.locator(".messages .success").count() == 1

    visitor.reload()
    step(visitor, "the visitor sees the new goal")
    assert visitor.locator("main .goal p").first.inner_text().strip() == new_text
