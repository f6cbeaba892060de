"""A registration finds its campaign and SMS texts in the cache, yet never works from stale ones.

The registration POST is the hot path of a campaign wave (see bench/), so the campaign, its
extra questions and the SMS texts are cached; these tests prove every editor change still
reaches the next visitor.
"""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from wagtail.models import Site

import pytest

from campaigns.models import CampaignFormField
from registrations import services
from registrations.models import Registration, SmsTexts
from tests.factories import registration_form_data


pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("quick_forms")]

REGISTER_URL = "/nehzat/register/"

# The duplicate check, the daily SMS allowance, the registration INSERT, the outbox INSERT
# and the savepoints around them (the campaign and SMS texts come from the cache).
POST_QUERY_BUDGET = 9


def post_form(client, on_commit, **overrides):
    return on_commit(client.post, REGISTER_URL, registration_form_data(**overrides))


def test_a_registration_post_costs_a_small_fixed_number_of_queries(client, demo):
    client.get(REGISTER_URL)  # the campaign lookup is cached from here on
    # The SMS is sent by a worker after commit (not run here): only the request counts.
    with CaptureQueriesContext(connection) as queries:
        response = client.post(REGISTER_URL, registration_form_data())
    assert response.status_code == 302
    assert Registration.objects.count() == 1
    assert len(queries) <= POST_QUERY_BUDGET, [q["sql"] for q in queries]


def test_an_unpublished_campaign_stops_taking_registrations_at_once(client, on_commit, demo):
    assert client.get(REGISTER_URL).status_code == 200
    demo.unpublish()
    assert client.get(REGISTER_URL).status_code == 404
    assert post_form(client, on_commit).status_code == 404
    assert not Registration.objects.exists()


def test_a_question_added_and_published_is_asked_of_the_next_visitor(client, on_commit, demo):
    assert client.get(REGISTER_URL).status_code == 200
    CampaignFormField.objects.create(
        page=demo, label="چند داوطلب فعال دارید؟", field_type="number", required=True
    )
    demo.save_revision().publish()

    assert "چند داوطلب فعال دارید؟" in client.get(REGISTER_URL).content.decode()
    response = post_form(client, on_commit)
    assert response.status_code == 400
    assert not Registration.objects.exists()


def test_a_renamed_campaign_registers_at_its_new_address(client, on_commit, demo):
    assert client.get(REGISTER_URL).status_code == 200
    demo.slug = "mosharekat"
    demo.save_revision().publish()
    assert client.get(REGISTER_URL).status_code == 404
    assert client.get("/mosharekat/register/").status_code == 200


def test_sms_texts_staff_save_are_used_for_the_next_code(client, on_commit, demo, sms_outbox):
    post_form(client, on_commit)
    assert sms_outbox[-1].text.startswith("کد تأیید ثبت‌نام شما")

    texts = SmsTexts.for_site(Site.objects.get(is_default_site=True))
    texts.verification_fa = "کد ورود به طرح نهضت: {code}"
    texts.save()

    post_form(client, on_commit, mobile="09121112233")
    assert sms_outbox[-1].text.startswith("کد ورود به طرح نهضت: ")


def test_a_tracking_code_already_taken_is_drawn_again(client, on_commit, demo, monkeypatch):
    post_form(client, on_commit)
    taken = Registration.objects.get().tracking_code
    draws = iter([taken, taken, "87654321"])
    monkeypatch.setattr(services, "_new_tracking_code", lambda: next(draws))

    response = post_form(client, on_commit, mobile="09121112233")

    assert response.status_code == 302
    assert Registration.objects.get(mobile="+989121112233").tracking_code == "87654321"


def test_a_campaign_made_private_stops_taking_registrations_at_once(client, on_commit, demo):
    from wagtail.models import PageViewRestriction

    assert client.get(REGISTER_URL).status_code == 200
    PageViewRestriction.objects.create(
        page=demo, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )
    assert post_form(client, on_commit).status_code == 404
    assert not Registration.objects.exists()
