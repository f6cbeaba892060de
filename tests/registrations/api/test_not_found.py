"""Any address under an API's prefix answers the API's JSON 404, even one holding a newline
(schemathesis sent `/api/registrations/\\x97\\n\\x1d/resend/` and got the site's HTML page)."""

import pytest


pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "method, path",
    [
        ("post", "/api/registrations/%0A/confirm/"),
        ("post", "/api/registrations/%C2%97%0A%1D/resend/"),
        ("post", "/api/registrations/a%0Ab"),
        ("post", "/api/problems/%0A/support/"),
        ("get", "/api/interventions/%0A/"),
        ("get", "/api/matching/%0A"),
    ],
)
def test_a_path_with_a_newline_gets_the_apis_json_404(client, method, path):
    send = getattr(client, method)
    response = send(path, data={}, content_type="application/json")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["errors"][0]["code"] == "not_found"
