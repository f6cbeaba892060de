"""The figures behind the layers: counted right, coloured by the data, suppressed under 5."""

from django.utils import translation

import pytest
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from atlas import aggregates, layers
from registrations.choices import ActivityField, Capacity, Province, Status


pytestmark = pytest.mark.django_db


def test_every_registration_layer_is_registered():
    slugs = {layer.slug for layer in layers.all_layers()}
    assert "groups" in slugs
    assert {f"capacity-{c}" for c in Capacity.values} <= slugs
    assert {f"activity-{f}" for f in ActivityField.values} <= slugs


def test_only_approved_groups_count(register):
    register(7, province="fars", capacities=["venue", "funding"], fields_of_activity=["education"])
    register(3, province="fars", status=Status.CONFIRMED)
    register(2, province="fars", status=Status.REJECTED)
    register(6, province="gilan", capacities=["venue"])
    figures = aggregates.compute()
    assert figures["groups"] == {"fars": 7, "gilan": 6}
    assert figures["capacity"]["venue"] == {"fars": 7, "gilan": 6}
    assert figures["capacity"]["funding"] == {"fars": 7}
    assert figures["activity"]["education"] == {"fars": 7, "gilan": 6}


def test_the_province_with_most_groups_is_darkest(register):
    register(40, province="tehran")
    register(12, province="isfahan")
    register(5, province="qom")
    cells = {c.province: c for c in layers.cells(layers.get("groups"), aggregates.compute())}
    assert cells["tehran"].level == layers.CLASSES
    assert cells["tehran"].colour == layers.PALETTES["sequential"][-1]
    assert 0 < cells["qom"].level < cells["isfahan"].level < cells["tehran"].level
    assert cells["yazd"].level == 0 and cells["yazd"].count is None


def test_counts_under_five_are_suppressed_but_not_for_staff(register):
    register(4, province="ilam")
    register(5, province="yazd")
    layer = layers.get("groups")
    figures = aggregates.compute()
    public = {c.province: c.count for c in layers.cells(layer, figures)}
    staff = {c.province: c.count for c in layers.cells(layer, figures, suppress=False)}
    assert public["ilam"] is None and public["yazd"] == 5
    assert staff["ilam"] == 4


@hsettings(max_examples=60, deadline=None)
@given(st.dictionaries(st.sampled_from(Province.values), st.integers(0, 10_000), max_size=31))
def test_suppression_and_classes_hold_for_any_counts(counts):
    figures = {"groups": counts, "capacity": {}, "activity": {}, "at": "2026-01-01T00:00:00+00:00"}
    cells = layers.cells(layers.get("groups"), figures)
    assert len(cells) == 31
    for cell in cells:
        n = counts.get(cell.province, 0)
        if n < layers.SUPPRESS_BELOW:
            assert cell.count is None and cell.level == 0
        else:
            assert cell.count == n and 1 <= cell.level <= layers.CLASSES
    shown = [c for c in cells if c.count]
    if shown:
        top = max(shown, key=lambda c: c.count)
        assert top.level == layers.CLASSES
        # Colour follows the data: a larger count never gets a lighter class.
        for a in shown:
            for b in shown:
                if a.count > b.count:
                    assert a.level >= b.level
    with translation.override("en"):
        legend = layers.legend(layers.get("groups"), figures)
    assert legend[-1] == (layers.SUPPRESSED_FILL, "fewer than 5")


def test_the_figures_are_cached_until_refreshed(register, django_assert_num_queries):
    register(6, province="kerman")
    assert aggregates.current()["groups"] == {"kerman": 6}
    register(6, province="kerman")
    with django_assert_num_queries(0):
        assert aggregates.current()["groups"] == {"kerman": 6}
    assert aggregates.refresh() is True
    assert aggregates.current()["groups"] == {"kerman": 12}
    assert aggregates.refresh() is False


def test_the_refresh_task_purges_cached_pages_only_when_figures_change(register, monkeypatch):
    from atlas import tasks

    purged = []
    monkeypatch.setattr(tasks, "purge", purged.append)
    register(5, province="kerman")
    assert tasks.refresh_atlas() is True
    assert tasks.refresh_atlas() is False
    assert purged == ["atlas figures changed"]
