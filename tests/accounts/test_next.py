"""Signing in comes back to the account page that asked for it (`?next=`), and only there."""

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from .conftest import REPRESENTATIVE, last_code
from .test_web import fa, sign_in


def _sign_in_from(client, next_path, prefix=""):
    client.post(f"{prefix}/account/", {"mobile": fa(REPRESENTATIVE), "next": next_path})
    return client.post(f"{prefix}/account/code/", {"code": last_code(REPRESENTATIVE)})


def test_the_sign_in_page_carries_a_safe_next_into_its_form(client, registration):
    page = client.get("/account/?next=/account/invitations/abc/")
    assert 'name="next" value="/account/invitations/abc/"' in page.content.decode()


@pytest.mark.parametrize(
    "next_path", ["/account/invitations/abc:def/", "/account/members/", "/en/account/"]
)
def test_after_the_code_the_group_lands_where_it_was_going(client, registration, next_path):
    answer = _sign_in_from(client, next_path)
    assert answer.status_code == 302
    assert answer["Location"] == next_path


@pytest.mark.parametrize(
    "evil",
    [
        "https://evil.example/account/",
        "//evil.example/account/",
        "///evil.example/account/",
        "/\\evil.example/account/",
        "\\\\evil.example/account/",
        "http:/account/",
        "javascript:alert(1)",
        "/admin/",
        "/problems/",
        "/account/../admin/",
        "/account/%2e%2e/admin/",
        "/fr/account/",
        "/account\r\nSet-Cookie:x=1/",
        "",
    ],
)
def test_an_open_redirect_is_refused_and_the_group_lands_on_its_account(client, registration, evil):
    page = client.get("/account/", {"next": evil})
    assert page.status_code == 200
    assert 'name="next"' not in page.content.decode()
    answer = _sign_in_from(client, evil)
    assert answer.status_code == 302
    assert answer["Location"] == "/account/"


def test_a_group_signed_in_already_goes_straight_on(client, registration):
    sign_in(client)
    assert client.get("/account/?next=/account/members/")["Location"] == "/account/members/"
    assert client.get("/account/?next=//evil.example/").status_code == 200


def test_a_later_sign_in_without_next_forgets_the_old_one(client, registration):
    client.post("/account/", {"mobile": fa(REPRESENTATIVE), "next": "/account/members/"})
    answer = sign_in(client)
    assert answer["Location"] == "/account/"


@hsettings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(max_size=80))
def test_whatever_next_is_the_answer_stays_on_the_site(client, registration, value):
    page = client.get("/account/", {"next": value})
    assert page.status_code == 200
    kept = page.content.decode().partition('name="next" value="')[2]
    assert not kept or kept.startswith(("/account/", "/en/account/"))
    client.post("/account/", {"mobile": "bad", "next": value})
