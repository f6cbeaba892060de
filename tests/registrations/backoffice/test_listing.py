# ruff: noqa: F403, F405 - the back-office fixtures come from tests.backoffice
"""Staff find registrations in the admin listing: filters, Persian-aware search, masking, access."""

from django.urls import reverse

import pytest

from registrations.models import Registration
from tests.backoffice import *  # fixtures and helpers


pytestmark = pytest.mark.django_db

INDEX = "/admin/registrations/"


def listed(client, **params) -> set[str]:
    """Tracking codes of the rows the listing shows for these query parameters."""
    response = client.get(reverse("registration:index_results"), params)
    assert response.status_code == 200
    table = response.context["table"]
    return {row.tracking_code for row in table.data}


def test_listing_shows_the_columns_staff_need_in_persian(manager_client, demo):
    make_registration(demo, tracking_code="12345678", created_at=tehran(2025, 3, 20, 10))

    response = manager_client.get(INDEX)

    html = response.content.decode()
    assert response.status_code == 200
    assert "۱۲۳۴۵۶۷۸" in html  # tracking code in Persian digits
    assert "انجمن یاوران محله" in html
    assert "۰۹۱۲" in html  # mobile, national format, Persian digits
    assert "۱۴۰۳/۱۲/۳۰" in html  # 20 March 2025 is 30 Esfand 1403
    assert "/admin/registrations/dashboard/" in html


def test_national_code_is_masked_in_the_listing(manager_client, demo):
    make_registration(demo, national_code="0499370899")

    html = manager_client.get(INDEX).content.decode()

    assert "۰۴۹******۹" in html
    assert "۰۴۹۹۳۷۰۸۹۹" not in html
    assert "0499370899" not in html


def test_filter_by_province_and_capacity(manager_client, demo):
    match = make_registration(demo, province="fars", capacities=["venue", "funding"])
    make_registration(demo, province="fars", capacities=["volunteers"])
    make_registration(demo, province="tehran", capacities=["venue"])

    assert listed(manager_client, province="fars", capacity="venue") == {match.tracking_code}


def test_filter_by_field_of_activity_matches_a_whole_code(manager_client, demo):
    match = make_registration(demo, fields_of_activity=["charity", "health"])
    make_registration(demo, fields_of_activity=["education"])

    assert listed(manager_client, field_of_activity="charity") == {match.tracking_code}


@pytest.mark.parametrize(
    ("param", "value", "other"),
    [
        ("status", "approved", {"status": "confirmed"}),
        ("kind", "charity", {"kind": "ngo"}),
        ("source", "sms", {"source": "web"}),
    ],
)
def test_choice_filters(manager_client, demo, param, value, other):
    match = make_registration(demo, **{param: value})
    make_registration(demo, **other)

    assert listed(manager_client, **{param: value}) == {match.tracking_code}


def test_filter_by_campaign(manager_client, demo):
    from tests.factories import CampaignPageFactory

    other_campaign = CampaignPageFactory()
    match = make_registration(other_campaign)
    make_registration(demo)

    assert listed(manager_client, campaign=other_campaign.pk) == {match.tracking_code}


def test_created_date_range_is_entered_in_jalali_with_any_digits(manager_client, demo):
    # 1 Farvardin 1404 = 21 March 2025; 10 Farvardin 1404 = 30 March 2025.
    make_registration(demo, tracking_code="20000001", created_at=tehran(2025, 3, 20, 23))
    inside = make_registration(demo, tracking_code="20000002", created_at=tehran(2025, 3, 21, 0))
    last = make_registration(demo, tracking_code="20000003", created_at=tehran(2025, 3, 30, 23))
    make_registration(demo, tracking_code="20000004", created_at=tehran(2025, 3, 31, 0))

    expected = {inside.tracking_code, last.tracking_code}
    assert listed(manager_client, created_from="۱۴۰۴/۰۱/۰۱", created_to="۱۴۰۴/۰۱/۱۰") == expected
    assert listed(manager_client, created_from="١٤٠٤-١-١", created_to="1404.1.10") == expected


def test_active_date_filter_is_shown_in_jalali(manager_client, demo):
    response = manager_client.get(INDEX, {"created_from": "1404/01/01"})

    assert "۱۴۰۴/۰۱/۰۱" in response.content.decode()


@pytest.mark.parametrize(
    "params",
    [
        {"created_from": "1404/13/40"},
        {"created_from": "yesterday"},
        {"status": "bogus"},
        {"province": "atlantis"},
        {"campaign": "not-a-number"},
        {"p": "999"},
        {"ordering": "national_code"},
    ],
)
def test_bad_filter_values_never_fail_and_never_show_everything(manager_client, demo, params):
    make_registration(demo)

    response = manager_client.get(INDEX, params)

    assert response.status_code == 200
    if set(params) - {"p", "ordering"}:
        assert len(response.context["table"].data) == 0


@pytest.mark.parametrize(
    "query",
    [
        "یاوران",  # Persian letters, as stored
        "ياوران",  # Arabic yeh
        "انجمن ياوران محله",  # several words
        "ـیاوران",  # tatweel
        "مریم احمدی",
        "مريم احمدي",
    ],
)
def test_search_names_across_letter_forms(manager_client, demo, query):
    match = make_registration(demo, organisation_name="انجمن یاوران محله")
    make_registration(demo, organisation_name="گروه جهادی امید", representative_name="علی رضایی")

    assert match.tracking_code in listed(manager_client, q=query)
    assert len(listed(manager_client, q=query)) == 1


def test_search_finds_names_stored_with_arabic_letters_and_no_zwnj(manager_client, demo):
    match = make_registration(demo, organisation_name="كانون مردمنهاد كيان")
    make_registration(demo, organisation_name="گروه جهادی امید", representative_name="علی رضایی")

    assert listed(manager_client, q="کانون مردم‌نهاد کیان") == {match.tracking_code}
    assert listed(manager_client, q="مردم نهاد") == {match.tracking_code}


@pytest.mark.parametrize(
    "query",
    [
        "09123456789",
        "۰۹۱۲۳۴۵۶۷۸۹",
        "٠٩١٢٣٤٥٦٧٨٩",
        "+989123456789",
        "+۹۸ ۹۱۲ ۳۴۵ ۶۷۸۹",
        "9123456789",
        "0912-345-6789",
        "۳۴۵۶۷",
    ],
)
def test_search_mobile_in_any_digits_and_format(manager_client, demo, query):
    match = make_registration(demo, mobile="+989123456789")
    make_registration(demo, mobile="+989351112233")

    assert listed(manager_client, q=query) == {match.tracking_code}


def test_search_tracking_code_in_persian_digits(manager_client, demo):
    match = make_registration(demo, tracking_code="87654321")
    make_registration(demo, tracking_code="12345678")

    assert listed(manager_client, q="۸۷۶۵۴۳۲۱") == {match.tracking_code}


def test_search_text_follows_a_renamed_organisation(demo):
    registration = make_registration(demo, organisation_name="انجمن قدیم")
    registration.organisation_name = "كانون جديد"
    registration.save()

    assert Registration.objects.filter(search_text__contains="کانون جدید").exists()


# --- who may see what -----------------------------------------------------------------


def _registration_urls(registration, sms):
    pk = registration.pk
    return [
        ("get", "/admin/registrations/"),
        ("get", "/admin/registrations/results/"),
        ("get", "/admin/registrations/?export=csv"),
        ("get", "/admin/registrations/?export=xlsx"),
        ("get", f"/admin/registrations/inspect/{pk}/"),
        ("get", f"/admin/registrations/history/{pk}/"),
        ("get", f"/admin/registrations/delete/{pk}/"),
        ("post", f"/admin/registrations/delete/{pk}/"),
        ("post", f"/admin/registrations/approve/{pk}/"),
        ("post", f"/admin/registrations/reject/{pk}/"),
        ("post", f"/admin/registrations/resend/{pk}/"),
        ("get", "/admin/registrations/dashboard/"),
        ("post", "/admin/registrations/sms/resume/"),
        ("get", f"/admin/bulk/registrations/registration/approve/?id={pk}"),
        ("post", f"/admin/bulk/registrations/registration/delete/?id={pk}"),
        ("get", "/admin/sms-messages/"),
        ("get", "/admin/sms-messages/results/"),
        ("get", f"/admin/sms-messages/inspect/{sms.pk}/"),
    ]


def test_editors_get_403_on_every_registration_sms_and_export_url(editor_client, demo):
    from sms.models import SmsMessage

    registration = make_registration(demo)
    sms = SmsMessage.objects.create(recipient="+989121111111", text="x", purpose="receipt")

    for method, url in _registration_urls(registration, sms):
        response = getattr(editor_client, method)(url)
        assert response.status_code == 403, (method, url, response.status_code)
    registration.refresh_from_db()
    assert registration.status == "confirmed"


def test_editors_do_not_see_the_menu_or_the_home_panel(editor_client, demo):
    make_registration(demo)

    html = editor_client.get("/admin/").content.decode()

    assert "/admin/registrations/" not in html
    assert "data-registrations-panel" not in html


def test_managers_open_every_back_office_page(manager_client, demo):
    from sms.models import SmsMessage

    registration = make_registration(demo)
    sms = SmsMessage.objects.create(recipient="+989121111111", text="x", purpose="receipt")

    for method, url in _registration_urls(registration, sms):
        if method == "get":
            response = manager_client.get(url)
            assert response.status_code == 200, (url, response.status_code)


def test_managers_cannot_create_or_edit_registrations(manager_client, demo):
    registration = make_registration(demo)

    assert manager_client.get("/admin/registrations/new/").status_code == 404
    assert manager_client.get(f"/admin/registrations/edit/{registration.pk}/").status_code == 404


def test_managers_cannot_reach_pages_they_were_not_given(manager_client, demo):
    assert manager_client.get(f"/admin/pages/{demo.pk}/edit/").status_code in (302, 403)


def test_the_sms_listing_filters_by_any_apps_purpose(manager_client, demo):
    from sms.models import SmsMessage

    SmsMessage.objects.create(recipient="+989121111111", text="x", purpose="signin_code")
    SmsMessage.objects.create(recipient="+989122222222", text="x", purpose="receipt")

    html = manager_client.get("/admin/sms-messages/").content.decode()
    for label in ["کد ورود", "رسید گزارش", "خبر تغییر وضعیت گزارش", "کد تأیید"]:
        assert f">{label}</option>" in html, label
    filtered = manager_client.get("/admin/sms-messages/", {"purpose": "signin_code"})
    assert "۰۹۱۲ ۱۱۱ ۱۱۱۱" in filtered.content.decode()
    assert "۰۹۱۲ ۲۲۲ ۲۲۲۲" not in filtered.content.decode()
