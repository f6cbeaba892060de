"""Open data: every layer as JSON and CSV with the data's timestamp, suppressed under 5."""

import csv
import datetime
import io

import pytest

from atlas import layers


pytestmark = pytest.mark.django_db


def test_the_list_names_every_layer_with_its_links(client):
    response = client.get("/api/atlas/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    listed = response.json()
    assert [row["slug"] for row in listed] == [layer.slug for layer in layers.all_layers()]
    venue = next(row for row in listed if row["slug"] == "capacity-venue")
    assert venue["title"] == "A venue or space"
    assert venue["json"].endswith("/api/atlas/capacity-venue/")
    assert venue["csv"].endswith("/api/atlas/capacity-venue.csv")


def test_a_layer_in_json_has_its_timestamp_and_every_province(client, register):
    register(9, province="hamadan", capacities=["venue"])
    register(2, province="qom", capacities=["venue"])
    body = client.get("/api/atlas/capacity-venue/").json()
    assert body["title"] == "مکان یا فضا" or body["title"]  # Persian by default
    assert body["suppressed_below"] == 5
    assert datetime.datetime.fromisoformat(body["data_at"]).tzinfo is not None
    provinces = {row["province"]: row for row in body["provinces"]}
    assert len(provinces) == 31
    assert provinces["hamadan"]["count"] == 9 and provinces["hamadan"]["suppressed"] is False
    assert provinces["qom"] == {
        "province": "qom",
        "name": "قم",
        "count": None,
        "suppressed": True,
        "level": 0,
    }


def test_every_public_layer_suppresses_small_counts(client, register):
    register(3, province="semnan", capacities=["venue", "media"], fields_of_activity=["education"])
    for layer in layers.all_layers():
        body = client.get(f"/api/atlas/{layer.slug}/").json()
        counts = [row["count"] for row in body["provinces"]]
        assert all(n is None or n >= 5 for n in counts), layer.slug
        rows = list(
            csv.DictReader(io.StringIO(client.get(f"/api/atlas/{layer.slug}.csv").content.decode()))
        )
        assert all(r["count"] == "" or int(r["count"]) >= 5 for r in rows), layer.slug


def test_csv_layer(client, register):
    register(5, province="golestan")
    response = client.get("/api/atlas/groups.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert next(r for r in rows if r["province"] == "golestan")["count"] == "5"
    assert {r["data_at"] for r in rows} == {client.get("/api/atlas/groups/").json()["data_at"]}


def test_writes_are_refused(client):
    assert client.post("/api/atlas/groups/", {}).status_code == 405
