"""The problems layers and the gap: verified problems by province and category, and where
they meet no group able to address them. Suppressed under 5 everywhere the public looks."""

import csv
import io
import math

from django.utils import translation

import pytest
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from atlas import aggregates, layers
from problems.choices import ReportStatus
from registrations.choices import Province


pytestmark = pytest.mark.django_db
# Addiction (category "harms") is addressed by fields addiction/social_harm/health with
# capacities counselling/specialists/venue (problems/migrations/0002_seed_taxonomy.py).
ABLE = {"fields_of_activity": ["addiction"], "capacities": ["counselling"]}


def _by_province(layer, figures, **kw):
    return {cell.province: cell for cell in layers.cells(layer, figures, **kw)}


def test_only_verified_open_problems_are_on_the_map(report):
    report(6, province="fars")
    report(2, province="fars", status=ReportStatus.IN_INTERVENTION)
    for status in (ReportStatus.NEW, ReportStatus.REJECTED, ReportStatus.MERGED):
        report(9, province="fars", status=status)
    report(3, province="fars", status=ReportStatus.RESOLVED)
    report(5, problem="unemployment", province="gilan")
    figures = aggregates.compute()
    assert figures["problems"] == {"fars": 8, "gilan": 5}
    assert figures["problem_categories"] == {"harms": {"fars": 8}, "livelihood": {"gilan": 5}}
    assert figures["problem_types"]["addiction"] == {"fars": 8}
    # The counter counts every report that was verified, resolved ones too.
    assert figures["verified"] == {"fars": 11, "gilan": 5}


def test_a_layer_per_problem_category_and_the_province_with_most_is_darkest(report):
    report(30, province="tehran")
    report(10, province="qom")
    report(5, province="yazd", problem="unemployment")
    figures = aggregates.compute()
    slugs = [layer.slug for layer in layers.all_layers(figures)]
    assert "problems" in slugs and "problems-harms" in slugs and "problems-livelihood" in slugs
    assert slugs.index("gap") == slugs.index("interventions") - 1
    harms = layers.get("problems-harms", figures)
    with translation.override("en"):
        assert str(harms.title) == "Social harms"
    assert str(harms.title) == "آسیب‌های اجتماعی"
    cells = _by_province(harms, figures)
    assert cells["tehran"].level == layers.CLASSES
    assert 0 < cells["qom"].level < cells["tehran"].level
    assert cells["yazd"].count is None  # no harms there
    assert _by_province(layers.get("problems", figures), figures)["yazd"].count == 5


def test_groups_able_to_address_a_problem_need_its_field_and_its_capacity(register, report):
    report(10, province="kerman")
    register(6, province="kerman", **ABLE)
    register(7, province="kerman", fields_of_activity=["addiction"], capacities=["funding"])
    register(8, province="kerman", fields_of_activity=["education"], capacities=["venue"])
    register(9, province="isfahan", **ABLE)  # able, but where no problem is verified
    figures = aggregates.compute()
    assert figures["able"] == {"kerman": 6}
    assert figures["groups"]["kerman"] == 21


def test_the_gap_is_orange_where_capacity_is_missing_and_purple_where_it_is_not(register, report):
    # National: 60 problems for 30 able groups = 2 per group.
    report(40, province="tehran")
    register(5, province="tehran", **ABLE)  # 8 per group: four times the national ratio
    report(20, province="fars")
    register(25, province="fars", **ABLE)  # 0.8 per group: 0.4 of the national ratio
    report(6, province="qom")  # no able group at all
    register(20, province="qom", fields_of_activity=["education"], capacities=["venue"])
    figures = aggregates.compute()
    gap = layers.get("gap", figures)
    assert gap.palette == "diverging"
    cells = _by_province(gap, figures)
    orange, purple = layers.PALETTES["diverging"][-1], layers.PALETTES["diverging"][0]
    assert cells["tehran"].ratio == 8 and cells["tehran"].colour == orange
    assert cells["fars"].ratio == 0.8 and cells["fars"].colour == purple
    assert math.isinf(cells["qom"].ratio) and cells["qom"].able == 0
    assert cells["qom"].colour == orange
    assert cells["yazd"].level == 0 and cells["yazd"].colour == layers.SUPPRESSED_FILL
    assert layers.national_ratio(figures) == 66 / 30
    with translation.override("en"):
        legend = layers.legend(gap, figures)
        explanation = layers.gap_explanation(figures)
    assert [colour for colour, _ in legend][:5] == list(layers.PALETTES["diverging"])
    assert legend[0][1] == "under 0.5×" and legend[4][1] == "over 2×"
    assert "Orange: capacity missing" in explanation and "2.2 verified problems" in explanation


def test_the_gap_hides_small_counts_of_groups_and_problems(register, report, client):
    report(12, province="ilam")
    register(3, province="ilam", **ABLE)  # 1-4 able groups: ratio hidden, colour a lower bound
    report(4, province="yazd")
    register(6, province="yazd", **ABLE)
    report(10, province="tehran")
    register(10, province="tehran", **ABLE)
    figures = aggregates.compute()
    cells = _by_province(layers.get("gap"), figures)
    assert cells["ilam"].ratio is None and cells["ilam"].able is None
    assert cells["ilam"].count == 12 and cells["ilam"].level > 0
    assert cells["yazd"].count is None and cells["yazd"].level == 0
    staff = _by_province(layers.get("gap"), figures, suppress=False)
    assert staff["ilam"].able == 3 and staff["ilam"].ratio == 4
    body = client.get("/api/atlas/gap/", HTTP_ACCEPT_LANGUAGE="en").json()
    rows = {row["province"]: row for row in body["provinces"]}
    assert rows["ilam"]["able_groups"] is None and rows["ilam"]["ratio"] is None
    assert rows["yazd"] == {
        "province": "yazd",
        "name": "Yazd",
        "count": None,
        "suppressed": True,
        "level": 0,
        "able_groups": None,
        "ratio": None,
    }
    assert rows["tehran"]["ratio"] == 1 and rows["tehran"]["able_groups"] == 10
    assert body["national_ratio"] == round(26 / 19, 4)  # every province's problems and groups
    html = client.get("/en/atlas/gap/").content.decode()
    assert "Ilam: 12 verified problems, fewer than 5 groups able to address them" in html
    assert "Yazd: fewer than 5 verified problems" in html
    assert "Tehran: 1 problems per able group (10 problems, 10 groups)" in html
    assert "Orange: capacity missing" in html
    for text in (": 3 ", "3 groups", "4 problems", "Yazd: 4"):
        assert text not in html
    rows = list(csv.DictReader(io.StringIO(client.get("/api/atlas/gap.csv").content.decode())))
    ilam = next(r for r in rows if r["province"] == "ilam")
    assert ilam["able_groups"] == "" and ilam["ratio"] == "" and ilam["count"] == "12"


def test_every_problems_layer_suppresses_under_five_on_pages_and_api(client, report, register):
    report(3, province="semnan")
    report(1, province="semnan", problem="unemployment")
    report(2, province="qom", status=ReportStatus.RESOLVED)
    register(2, province="semnan", **ABLE)
    figures = aggregates.current()
    problem_layers = [
        layer for layer in layers.all_layers(figures) if layer.slug.startswith(("problems", "gap"))
    ]
    assert len(problem_layers) >= 4
    for layer in problem_layers:
        body = client.get(f"/api/atlas/{layer.slug}/").json()
        assert all(row["count"] is None for row in body["provinces"]), layer.slug
        text = client.get(f"/api/atlas/{layer.slug}.csv").content.decode()
        assert all(r["count"] == "" for r in csv.DictReader(io.StringIO(text))), layer.slug
        for url in (f"/atlas/{layer.slug}/", f"/en/atlas/{layer.slug}/"):
            response = client.get(url)
            assert response.status_code == 200, url
            html = response.content.decode()
            for small in ("Semnan: 4", "Semnan: 3", "سمنان: ۴", "سمنان: ۳", 'data-count="4"'):
                assert small not in html, (url, small)
            assert 'data-count="3"' not in html and 'data-count="2"' not in html
    html = client.get("/en/atlas/province/semnan/").content.decode()
    assert 'data-figure="problems">fewer than 5<' in html
    assert "No problem has been verified 5 times or more here yet." in html


@hsettings(max_examples=40, deadline=None)
@given(
    st.dictionaries(st.sampled_from(Province.values), st.integers(0, 500), max_size=31),
    st.dictionaries(st.sampled_from(Province.values), st.integers(0, 500), max_size=31),
)
def test_the_gap_never_shows_a_small_count_and_orders_by_ratio(problems, able):
    figures = {"problems": problems, "able": {p: n for p, n in able.items() if p in problems}}
    cells = layers.gap_cells(figures)
    assert len(cells) == 31
    for cell in cells:
        p, a = problems.get(cell.province, 0), figures["able"].get(cell.province, 0)
        if p < layers.SUPPRESS_BELOW:
            assert cell.count is None and cell.level == 0
            continue
        assert cell.count == p and 1 <= cell.level <= layers.CLASSES
        if 0 < a < layers.SUPPRESS_BELOW:
            assert cell.able is None and cell.ratio is None
        elif a >= layers.SUPPRESS_BELOW:
            assert cell.able == a and cell.ratio == p / a
    shown = [c for c in cells if c.ratio is not None]
    for x in shown:
        for y in shown:
            if x.ratio > y.ratio:
                assert x.level >= y.level  # colour follows the data


def test_a_province_page_lists_its_top_problems(client, report, register):
    report(9, province="kerman", problem="unemployment")
    report(12, province="kerman")
    report(3, province="kerman", problem="poverty")  # under 5: not listed, not ranked
    register(6, province="kerman", **ABLE)
    html = client.get("/en/atlas/province/kerman/").content.decode()
    table = html.split('data-figures="top-problems"', 1)[1].split("</table>", 1)[0]
    assert table.index(">Addiction<") < table.index(">Unemployment<")
    assert "<td>12</td>" in table and "<td>9</td>" in table
    assert "Poverty" not in table
    assert 'data-figure="problems">24<' in html
    assert "Groups by field of activity" in html
    fa = client.get("/atlas/province/kerman/").content.decode()
    assert "اعتیاد" in fa and "<td>۱۲</td>" in fa


def test_the_counters_show_problems_verified_and_interventions(client, report, register):
    register(6, province="fars")
    report(7, province="fars")
    report(5, province="fars", status=ReportStatus.RESOLVED)
    html = client.get("/").content.decode()
    assert '<span class="atlas-counters__figure">۱۲</span> مسائل تأییدشده' in html
    assert '<span class="atlas-counters__figure">۰</span> مداخله‌های در جریان' in html
    report(2, province="qom")
    aggregates.refresh()
    from atlas.templatetags.atlas_tags import counters

    with translation.override("en"):
        assert counters(aggregates.current())["problems"] == "10+"


def test_the_problems_figures_are_cached_not_counted_per_view(
    client, report, django_assert_num_queries
):
    report(6, province="fars")
    client.get("/en/atlas/problems/")
    report(6, province="fars")
    with django_assert_num_queries(0):
        client.get("/en/atlas/problems-harms/?sort=name")
    assert aggregates.current()["problems"] == {"fars": 6}
    assert aggregates.refresh() is True
    assert aggregates.current()["problems"] == {"fars": 12}


def test_the_gap_table_sorts_by_class_then_ratio(client, report, register):
    report(40, province="tehran")
    register(5, province="tehran", **ABLE)  # 8 per group
    report(20, province="fars")
    register(25, province="fars", **ABLE)  # 0.8 per group
    report(12, province="ilam")
    register(3, province="ilam", **ABLE)  # hidden ratio
    report(6, province="qom")  # no able group: top
    html = client.get("/en/atlas/gap/?sort=-count").content.decode()
    order = [html.index(f">{name}</a></th>") for name in ("Qom", "Tehran", "Fars", "Yazd")]
    assert order == sorted(order)
