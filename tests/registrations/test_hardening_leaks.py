"""What a stranger must not learn about someone else's registration, asked as the stranger asks.

Each test is the stranger's own request (another browser, no session of the owner's) and
what its answer must not hold: the owner's public_id, tracking code, or a form completed
with the wrong campaign's questions.
"""

import json
import re

from django.core.files.base import ContentFile
from django.test import Client

import pytest

from registrations import services
from registrations.choices import Status
from registrations.models import Registration
from sms.models import SmsMessage
from tests.factories import CampaignPageFactory, registration_form_data


pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo", "quick_forms")]

OWNER_MOBILE = "09123456789"
PERSIAN = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")


def api_register(client, on_commit, **overrides):
    data = registration_form_data(**overrides)
    for name in ("website", "started"):
        data.pop(name)
    data["consent"] = True
    body = json.dumps({"campaign": "nehzat", **data})
    return on_commit(client.post, "/api/registrations/", body, content_type="application/json")


def everything_seen(client, on_commit, response) -> str:
    """Every answer a browser shows following the redirects, with their addresses."""
    seen = [response.get("Location", ""), response.content.decode()]
    for _ in range(5):
        if response.status_code not in (301, 302):
            break
        response = on_commit(client.get, response["Location"])
        seen += [response.get("Location", ""), response.content.decode()]
    return "\n".join(seen)


def code_in(text: str) -> str:
    return re.search(r"\d{6}", text).group(0)


@pytest.fixture
def waiting_owner(client, on_commit, sms_outbox):
    """The owner registered through the API and waits for the SMS code."""
    response = api_register(client, on_commit, mobile=OWNER_MOBILE)
    assert response.status_code == 201
    return Registration.objects.get()


def test_typing_a_waiting_mobile_on_the_web_reveals_no_identifier(on_commit, waiting_owner):
    stranger = Client()
    response = on_commit(
        stranger.post, "/nehzat/register/", registration_form_data(mobile=OWNER_MOBILE)
    )
    seen = everything_seen(stranger, on_commit, response)
    assert str(waiting_owner.public_id) not in seen
    assert str(waiting_owner.public_id.hex) not in seen
    assert waiting_owner.tracking_code not in seen
    assert waiting_owner.tracking_code.translate(PERSIAN) not in seen


def test_typing_a_waiting_mobile_in_the_api_reveals_no_identifier(client, on_commit, waiting_owner):
    response = api_register(Client(), on_commit, mobile=OWNER_MOBILE)
    assert response.status_code == 409
    assert str(waiting_owner.public_id) not in response.content.decode()


def test_the_owner_typing_their_number_again_can_confirm_in_that_browser(
    on_commit, waiting_owner, sms_outbox, settings
):
    settings.REGISTRATION_RESEND_COOLDOWN = 0
    other_browser = Client()
    response = on_commit(
        other_browser.post, "/nehzat/register/", registration_form_data(mobile=OWNER_MOBILE)
    )
    page = everything_seen(other_browser, on_commit, response)
    assert "۰۹۱۲***۶۷۸۹" in page  # the page says where the new code went
    assert len(sms_outbox) == 2 and sms_outbox[1].to == "+989123456789"

    confirm_url = response["Location"]
    confirmed = on_commit(other_browser.post, confirm_url, {"code": code_in(sms_outbox[1].text)})
    waiting_owner.refresh_from_db()
    assert waiting_owner.status == Status.CONFIRMED
    done = everything_seen(other_browser, on_commit, confirmed)
    assert waiting_owner.tracking_code.translate(PERSIAN) in done


def test_the_done_page_shows_the_tracking_code_only_to_the_session_that_confirmed(
    client, on_commit, sms_outbox
):
    on_commit(client.post, "/nehzat/register/", registration_form_data())
    registration = Registration.objects.get()
    done_url = f"/nehzat/register/{registration.public_id}/done/"
    on_commit(
        client.post,
        f"/nehzat/register/{registration.public_id}/confirm/",
        {"code": code_in(sms_outbox[0].text)},
    )
    assert registration.tracking_code.translate(PERSIAN) in client.get(done_url).content.decode()

    stranger = Client()
    seen = everything_seen(stranger, on_commit, stranger.get(done_url))
    assert registration.tracking_code.translate(PERSIAN) not in seen
    assert registration.tracking_code not in seen
    assert 'name="tracking_code"' in seen  # the status lookup form instead


def test_a_stranger_with_the_confirm_address_can_neither_resend_nor_guess(
    client, on_commit, sms_outbox
):
    on_commit(client.post, "/nehzat/register/", registration_form_data())
    registration = Registration.objects.get()
    stranger = Client()
    base = f"/nehzat/register/{registration.public_id}"
    on_commit(stranger.post, f"{base}/resend/")
    guess = on_commit(stranger.post, f"{base}/confirm/", {"code": "123456"})
    registration.refresh_from_db()
    assert SmsMessage.objects.count() == 1
    assert registration.code_attempts == 0
    assert guess.status_code in (302, 404)


def test_a_signed_sms_link_opens_only_its_own_campaigns_form(client, on_commit, demo, sms_outbox):
    other = CampaignPageFactory(slug="other-campaign", title="کمپین دیگر")
    draft, _created = services.start_from_inbound_sms(campaign=demo, mobile="+989123456789")
    token = services.make_sms_link_token(draft)

    opened = client.get(f"/{other.slug}/register/?t={token}")
    sent = on_commit(
        client.post,
        f"/{other.slug}/register/",
        registration_form_data(mobile=None, sms_token=token),
    )
    draft.refresh_from_db()
    assert opened.status_code == 400 and sent.status_code == 400
    assert draft.status == Status.DRAFT and draft.campaign_id == demo.pk
    assert not SmsMessage.objects.exists()
    assert client.get(f"/nehzat/register/?t={token}").status_code == 200  # its own: opens


@pytest.fixture
def persian_only_question(demo):
    """A required question added to the Persian campaign, not yet synced to the English one."""
    from campaigns.models import CampaignFormField

    return CampaignFormField.objects.create(
        page=demo, label="نام معرف", field_type="singleline", required=True
    )


def test_the_english_form_asks_the_questions_of_the_campaign_it_saves_to(
    client, on_commit, persian_only_question, sms_outbox
):
    name = persian_only_question.clean_name
    missing = on_commit(client.post, "/en/nehzat/register/", registration_form_data())
    assert missing.status_code == 400
    assert f'name="{name}"' in missing.content.decode()
    assert not Registration.objects.exists()

    answered = on_commit(
        client.post, "/en/nehzat/register/", registration_form_data(**{name: "علی"})
    )
    assert answered.status_code == 302
    assert Registration.objects.get().extra_answers == {name: "علی"}


def test_the_english_api_asks_the_questions_of_the_campaign_it_saves_to(
    client, on_commit, persian_only_question, sms_outbox
):
    data = registration_form_data()
    for key in ("website", "started"):
        data.pop(key)
    data["consent"] = True
    response = on_commit(
        client.post,
        "/api/registrations/",
        json.dumps({"campaign": "nehzat", **data}),
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert (persian_only_question.clean_name, "required") in {
        (e["field"], e["code"]) for e in response.json()["errors"]
    }
    assert not Registration.objects.exists()


@pytest.fixture
def private_document(home_page):
    from wagtail.documents import get_document_model
    from wagtail.models import Collection, CollectionViewRestriction

    collection = Collection.get_first_root_node().add_child(name="Private")
    CollectionViewRestriction.objects.create(
        collection=collection, restriction_type=CollectionViewRestriction.LOGIN
    )
    return get_document_model().objects.create(
        title="Members only",
        file=ContentFile(b"members-only secret", name="members.txt"),
        collection=collection,
    )


def test_a_private_document_is_not_served_from_its_media_address(client, private_document):
    response = client.get(private_document.file.url)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert response.status_code == 404
    assert b"members-only secret" not in body


def test_a_private_document_asks_a_stranger_to_sign_in(client, private_document):
    response = client.get(private_document.url)
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_behind_nginx_wagtail_checks_and_nginx_sends_the_document(
    client, django_user_model, private_document, settings
):
    settings.SENDFILE_BACKEND = "config.sendfile"
    from wagtail.utils import sendfile

    sendfile._get_sendfile.clear()  # Wagtail caches the backend it loaded
    try:
        stranger = client.get(private_document.url)
        user = django_user_model.objects.create_user("member", password="x")
        client.force_login(user)
        member = client.get(private_document.url)
    finally:
        sendfile._get_sendfile.clear()
    assert stranger.status_code == 302 and "X-Accel-Redirect" not in stranger
    assert member.status_code == 200
    assert member["X-Accel-Redirect"] == f"/media/{private_document.file.name}"
    assert b"members-only secret" not in member.content


def test_typing_a_confirmed_mobile_points_to_the_status_lookup_only(client, on_commit, sms_outbox):
    on_commit(client.post, "/nehzat/register/", registration_form_data(mobile=OWNER_MOBILE))
    registration = Registration.objects.get()
    Registration.objects.filter(pk=registration.pk).update(status=Status.CONFIRMED)
    stranger = Client()
    response = on_commit(
        stranger.post, "/nehzat/register/", registration_form_data(mobile=OWNER_MOBILE)
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "قبلاً برای این طرح ثبت شده" in html
    assert 'href="/nehzat/status/"' in html
    assert str(registration.public_id) not in html
    assert registration.tracking_code.translate(PERSIAN) not in html
    assert len(sms_outbox) == 1  # no SMS to the owner for a stranger's typing
