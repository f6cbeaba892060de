"""Interventions on the atlas: a layer per stage and those under way, suppressed under 5."""

from django.utils import translation

import pytest

from atlas import aggregates, layers
from atlas.templatetags.atlas_tags import counters
from interventions.choices import Stage


pytestmark = pytest.mark.django_db


def test_interventions_are_counted_by_stage_and_under_way(intervention):
    intervention(6, province="tehran", stage=Stage.PLANNING)
    intervention(2, province="tehran", stage=Stage.IMPLEMENTATION)
    intervention(7, province="tehran", stage=Stage.CLOSED)
    intervention(5, province="fars", stage=Stage.NEEDS_ASSESSMENT)
    figures = aggregates.compute()
    assert figures["interventions"]["planning"] == {"tehran": 6}
    assert figures["interventions"]["closed"] == {"tehran": 7}
    assert figures["interventions_under_way"] == {"tehran": 8, "fars": 5}
    slugs = [layer.slug for layer in layers.all_layers(figures)]
    assert {"interventions", *(f"interventions-{s}" for s in Stage.values)} <= set(slugs)
    cells = {c.province: c for c in layers.cells(layers.get("interventions"), figures)}
    assert cells["tehran"].level == layers.CLASSES and cells["fars"].level > 0
    with translation.override("en"):
        assert counters(figures)["interventions"] == "13"


def test_interventions_under_five_are_suppressed_on_pages_api_and_counters(client, intervention):
    intervention(3, province="ilam", stage=Stage.PLANNING)
    intervention(9, province="yazd", stage=Stage.PLANNING)
    body = client.get("/api/atlas/interventions-planning/").json()
    rows = {row["province"]: row for row in body["provinces"]}
    assert rows["ilam"]["count"] is None and rows["yazd"]["count"] == 9
    html = client.get("/en/atlas/interventions/").content.decode()
    assert "Ilam: fewer than 5" in html and "Ilam: 3" not in html and "Yazd: 9" in html
    page = client.get("/en/atlas/province/ilam/").content.decode()
    assert 'data-figure="interventions">fewer than 5<' in page
    table = page.split('data-figures="interventions"', 1)[1].split("</table>", 1)[0]
    assert "Planning" in table and ">3<" not in table
    # 12 in all, but Ilam's 3 would follow from the total: rounded down to tens.
    assert '<span class="atlas-counters__figure">10+</span> Interventions under way' in (
        client.get("/en/").content.decode()
    )
