"""A database outage answers 503 with a calm Persian page, never a 500 with a stack trace."""

from django.db import InterfaceError, OperationalError
from django.test import Client

import pytest

from registrations import services


pytestmark = pytest.mark.django_db


@pytest.fixture
def visitor():
    return Client(raise_request_exception=False)


def database_down(*args, **kwargs):
    raise OperationalError('connection to server at "127.0.0.1", port 5432 failed')


def test_a_database_outage_gets_a_persian_503_page(visitor, monkeypatch):
    monkeypatch.setattr(services, "live_campaign", database_down)
    response = visitor.get("/nehzat/register/")
    html = response.content.decode()
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response["Cache-Control"] == "no-store"
    assert 'dir="rtl"' in html
    assert "سایت برای لحظاتی در دسترس نیست" in html
    assert "5432" not in html
    assert "Traceback" not in html


def test_a_form_sent_during_the_outage_is_told_to_send_again(visitor, monkeypatch):
    monkeypatch.setattr(services, "live_campaign", database_down)
    response = visitor.post("/nehzat/register/", {"mobile": "09123456789"})
    assert response.status_code == 503
    assert "دوباره بفرستید" in response.content.decode()


def test_a_dropped_connection_is_an_outage_too(visitor, monkeypatch):
    def dropped(*args, **kwargs):
        raise InterfaceError("connection already closed")

    monkeypatch.setattr(services, "live_campaign", dropped)
    assert visitor.get("/nehzat/register/").status_code == 503


def test_english_pages_get_the_english_503_page(visitor, monkeypatch):
    monkeypatch.setattr(services, "live_campaign", database_down)
    response = visitor.get("/en/nehzat/register/")
    html = response.content.decode()
    assert response.status_code == 503
    assert 'dir="ltr"' in html
    assert "The site is unavailable for a moment" in html


def test_machines_get_json(visitor, monkeypatch):
    monkeypatch.setattr(services, "live_campaign", database_down)
    response = visitor.get("/nehzat/register/", HTTP_ACCEPT="application/json")
    assert response.status_code == 503
    assert response.json()["error"] == "service_unavailable"


def test_other_errors_stay_500(visitor, monkeypatch):
    def broken(*args, **kwargs):
        raise ValueError("a bug")

    monkeypatch.setattr(services, "live_campaign", broken)
    response = visitor.get("/nehzat/register/")
    assert response.status_code == 500
    assert "سایت برای لحظاتی" not in response.content.decode()


def test_a_bug_gets_a_persian_500_page_without_details(visitor, monkeypatch):
    def broken(*args, **kwargs):
        raise ValueError("a bug at /srv/app/registrations/services.py")

    monkeypatch.setattr(services, "live_campaign", broken)
    response = visitor.get("/nehzat/register/")
    html = response.content.decode()
    assert response.status_code == 500
    assert response["Cache-Control"] == "no-store"
    assert '<html lang="fa" dir="rtl">' in html
    assert "مشکلی پیش آمد" in html
    assert "Server Error" not in html and "services.py" not in html


def test_a_bug_in_the_api_answers_json(visitor, monkeypatch):
    def broken(*args, **kwargs):
        raise ValueError("a bug")

    monkeypatch.setattr(services, "find_by_tracking_code", broken)
    response = visitor.get("/api/registrations/status/?tracking_code=12345678&mobile=09123456789")
    assert response.status_code == 500
    assert response.json()["error"] == "server_error"
    assert "مشکلی" in response.json()["message"]
