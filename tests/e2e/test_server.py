"""The server the browser tests drive, checked without a browser: it serves the demo and lets
the demo users sign in (its database may be a copy of the test session's, see conftest)."""

import re

import pytest
import requests

from home.demo_content import DEMO_USERS


pytestmark = pytest.mark.e2e


def sign_in(site, username: str) -> requests.Response:
    session = requests.Session()
    form = session.get(f"{site.url}/admin/login/", timeout=30)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text).group(1)
    return session.post(
        f"{site.url}/admin/login/",
        data={
            "username": username,
            "password": DEMO_USERS[username][0],
            "csrfmiddlewaretoken": token,
        },
        headers={"Referer": f"{site.url}/admin/login/"},
        timeout=30,
    )


def test_the_server_serves_the_demo_campaign_at_its_own_address(e2e_server):
    page = requests.get(f"{e2e_server.url}/", timeout=30)
    assert page.status_code == 200
    assert 'lang="fa"' in page.text and 'dir="rtl"' in page.text
    assert "نهضت" in page.text


@pytest.mark.parametrize("username", sorted(DEMO_USERS))
def test_every_demo_user_signs_in(e2e_server, username):
    response = sign_in(e2e_server, username)
    assert response.status_code == 200
    assert response.url == f"{e2e_server.url}/admin/", response.url
