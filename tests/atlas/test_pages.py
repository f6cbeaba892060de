"""The public atlas as a visitor sees it: map, table, province page, downloads, cache."""

import csv
import io
import struct

import pytest
from defusedxml import ElementTree

from atlas import aggregates
from registrations.choices import Province, Status


pytestmark = pytest.mark.django_db
SVG = "{http://www.w3.org/2000/svg}"


def _svg_of(html: str):
    start = html.index("<svg")
    end = html.index("</svg>") + len("</svg>")
    return ElementTree.fromstring(html[start:end])


def test_the_persian_atlas_shows_the_map_and_its_table(client, register):
    register(12, province="tehran")
    register(6, province="fars")
    response = client.get("/atlas/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'lang="fa"' in html and 'dir="rtl"' in html
    svg = _svg_of(html)
    links = svg.findall(f".//{SVG}a")
    assert len(links) == 31
    by_province = {a.get("data-province"): a for a in links}
    assert set(by_province) == set(Province.values)
    tehran = by_province["tehran"]
    assert tehran.get("href") == "/atlas/province/tehran/"
    assert tehran.find(f"{SVG}path/{SVG}title").text == "تهران: ۱۲"
    assert tehran.get("data-level") == "5"
    assert by_province["yazd"].find(f"{SVG}path/{SVG}title").text == "یزد: کمتر از ۵"
    # The table beside it, most groups first, Persian digits.
    assert html.index(">تهران</a></th><td") < html.index(">فارس</a></th><td")
    assert '<td data-count="12">۱۲</td>' in html
    assert "داده‌ها تا" in html  # the data's date


def test_the_english_atlas_is_left_to_right_with_ascii_digits(client, register):
    register(6, province="gilan")
    html = client.get("/en/atlas/").content.decode()
    assert 'lang="en"' in html and 'dir="ltr"' in html
    svg = _svg_of(html)
    gilan = next(a for a in svg.iter(f"{SVG}a") if a.get("data-province") == "gilan")
    assert gilan.get("href") == "/en/atlas/province/gilan/"
    assert gilan.find(f"{SVG}path/{SVG}title").text == "Gilan: 6"
    assert "fewer than 5" in html


def test_small_counts_never_appear_on_public_pages(client, register):
    register(4, province="ilam", capacities=["funding"], fields_of_activity=["education"])
    register(30, province="ilam", status=Status.CONFIRMED)  # not approved: not counted
    for url in (
        "/atlas/",
        "/atlas/capacity-funding/",
        "/atlas/activity-education/",
        "/en/atlas/",
        "/atlas/province/ilam/",
        "/en/atlas/province/ilam/",
    ):
        html = client.get(url).content.decode()
        assert 'data-count="4"' not in html
        assert "ایلام: ۴" not in html and "Ilam: 4" not in html
        # Not "۳۰" alone: the data's time may hold it (۲۲:۳۰).
        assert ">۳۰<" not in html and ": ۳۰" not in html
        assert ">30<" not in html and ": 30" not in html
    api = client.get("/api/atlas/groups/").json()
    ilam = next(p for p in api["provinces"] if p["province"] == "ilam")
    assert ilam == {
        "province": "ilam",
        "name": "ایلام",
        "count": None,
        "suppressed": True,
        "level": 0,
    }
    rows = list(csv.DictReader(io.StringIO(client.get("/atlas/groups.csv").content.decode())))
    assert next(r for r in rows if r["province"] == "ilam")["count"] == ""


def test_the_table_sorts_by_name_or_count(client, register):
    register(5, province="yazd")
    register(9, province="ardabil")
    html = client.get("/en/atlas/?sort=count").content.decode()
    assert html.index(">Yazd</a>") < html.index(">Ardabil</a>")
    html = client.get("/en/atlas/?sort=-count").content.decode()
    assert html.index(">Ardabil</a>") < html.index(">Yazd</a>")
    html = client.get("/en/atlas/?sort=name").content.decode()
    assert html.index(">Alborz</a>") < html.index(">Zanjan</a>")
    assert client.get("/en/atlas/?sort=%00drop").status_code in (200, 400)


def test_a_province_page_shows_its_figures_and_groups_by_field(client, register):
    register(8, province="kerman", fields_of_activity=["education"], capacities=["venue"])
    html = client.get("/atlas/province/kerman/").content.decode()
    assert "<h1>کرمان</h1>" in html
    assert "<dd>۸</dd>" in html
    assert "آموزش" in html or "Education" not in html


@pytest.mark.parametrize(
    "url",
    [
        "/atlas/nowhere/",
        "/atlas/province/atlantis/",
        "/atlas/x.svg",
        "/atlas/x.png",
        "/atlas/x.csv",
        "/api/atlas/x/",
        "/api/atlas/x.csv",
    ],
)
def test_unknown_maps_and_provinces_answer_404(client, url):
    assert client.get(url).status_code == 404


def test_the_svg_download_parses_and_the_png_opens(client, register):
    register(6, province="tehran")
    response = client.get("/en/atlas/groups.svg")
    assert response["Content-Type"].startswith("image/svg+xml")
    assert "attachment" in response["Content-Disposition"]
    root = ElementTree.fromstring(response.content)
    assert root.tag == f"{SVG}svg" and len(root.findall(f".//{SVG}path")) == 31
    png = client.get("/atlas/groups.png")
    assert png["Content-Type"] == "image/png"
    assert png.content[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png.content[16:24])
    assert width == 1080 and height == 1260


def test_the_csv_download_has_a_row_per_province(client, register):
    register(6, province="tehran")
    rows = list(csv.DictReader(io.StringIO(client.get("/atlas/groups.csv").content.decode())))
    assert len(rows) == 31
    tehran = next(r for r in rows if r["province"] == "tehran")
    assert tehran["count"] == "6" and tehran["suppressed"] == "False"
    assert tehran["data_at"] == aggregates.current()["at"]


def test_the_atlas_is_served_from_the_page_cache_and_purged(
    client, register, django_assert_num_queries
):
    register(6, province="tehran")
    first = client.get("/atlas/")
    assert first["X-Page-Cache"] == "miss"
    with django_assert_num_queries(0):
        second = client.get("/atlas/")
    assert second["X-Page-Cache"] == "hit" and second.content == first.content
    register(6, province="tehran")
    from atlas.tasks import refresh_atlas

    assert refresh_atlas() is True
    third = client.get("/atlas/")
    assert third["X-Page-Cache"] == "miss"
    assert "تهران: ۱۲" in third.content.decode()


def test_an_atlas_page_costs_five_queries_for_its_figures(
    client, register, django_assert_num_queries
):
    register(6, province="tehran")
    # Cold: the figures (categories, problems, grouped registrations, grouped reports,
    # grouped interventions) and the site look-ups every cold page makes.
    with django_assert_num_queries(12):
        assert client.get("/en/atlas/capacity-venue/").status_code == 200
    # Past the page cache (a query string) with figures and look-ups cached: no query at all.
    with django_assert_num_queries(0):
        assert client.get("/en/atlas/activity-education/?sort=name").status_code == 200
