"""The province-adjacency data: complete, symmetric, connected, and right about known borders."""

import json
from collections import deque

import pytest

from interventions import adjacency
from registrations.choices import Province


def test_it_covers_exactly_the_31_provinces_of_the_registrations_vocabulary():
    raw = json.loads(adjacency.DATA.read_text(encoding="utf-8"))
    assert set(raw["neighbours"]) == set(Province.values)
    assert len(adjacency.adjacency()) == 31
    assert "alborz" in adjacency.adjacency()
    for codes in raw["neighbours"].values():
        assert set(codes) <= set(Province.values)
        assert len(codes) == len(set(codes))


def test_it_names_its_source():
    raw = json.loads(adjacency.DATA.read_text(encoding="utf-8"))
    assert "OpenStreetMap" in raw["source"]
    assert raw["licence"]


def test_symmetric_and_no_self_loops():
    table = adjacency.adjacency()
    for province, near in table.items():
        assert province not in near
        assert near, f"{province} has no neighbour"
        for other in near:
            assert province in table[other], f"{province}→{other} but not back"


def test_connected():
    table = adjacency.adjacency()
    seen = {"tehran"}
    queue = deque(seen)
    while queue:
        for other in table[queue.popleft()]:
            if other not in seen:
                seen.add(other)
                queue.append(other)
    assert seen == set(Province.values)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("tehran", "alborz"),
        ("tehran", "qom"),
        ("tehran", "mazandaran"),
        ("alborz", "qazvin"),
        ("khuzestan", "bushehr"),
        ("khuzestan", "ilam"),
        ("sistan", "kerman"),
        ("sistan", "khorasan_south"),
        ("gilan", "mazandaran"),
        ("gilan", "ardabil"),
        ("hormozgan", "bushehr"),
        ("hormozgan", "fars"),
        ("azarbaijan_east", "azarbaijan_west"),
        ("kurdistan", "kermanshah"),
        ("golestan", "khorasan_north"),
        ("isfahan", "chaharmahal"),
        # Tabas county moved from Yazd to South Khorasan in 2013.
        ("khorasan_south", "semnan"),
        ("khorasan_south", "yazd"),
    ],
)
def test_known_borders(a, b):
    assert adjacency.are_neighbours(a, b)
    assert adjacency.are_neighbours(b, a)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        # Alborz, split from Tehran in 2010, lies between Tehran and Qazvin.
        ("tehran", "qazvin"),
        ("tehran", "isfahan"),
        ("gilan", "golestan"),
        ("khuzestan", "fars"),
        ("khuzestan", "isfahan"),
        ("sistan", "yazd"),
        ("yazd", "semnan"),
        ("yazd", "khorasan_razavi"),
        ("azarbaijan_east", "kurdistan"),
        ("bushehr", "kerman"),
    ],
)
def test_known_non_borders(a, b):
    assert not adjacency.are_neighbours(a, b)


def test_a_few_whole_neighbourhoods():
    assert adjacency.neighbours("tehran") == {"alborz", "markazi", "mazandaran", "qom", "semnan"}
    assert adjacency.neighbours("sistan") == {"hormozgan", "kerman", "khorasan_south"}
    assert adjacency.neighbours("ardabil") == {"azarbaijan_east", "gilan", "zanjan"}
    assert len(adjacency.neighbours("isfahan")) == 9  # the most of any province


def test_unknown_or_empty_province_has_no_neighbours():
    assert adjacency.neighbours("") == frozenset()
    assert adjacency.neighbours("atlantis") == frozenset()
