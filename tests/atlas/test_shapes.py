import json

import pytest

from atlas import shapes
from atlas.data import extract_shapes
from registrations.choices import Province


def test_thirty_one_shapes_one_per_province():
    outlines = shapes.outlines()
    assert len(outlines) == 31
    assert set(outlines) == set(Province.values)
    assert "alborz" in outlines


def test_the_mapping_from_the_package_names_is_one_to_one():
    assert sorted(extract_shapes.FA_TO_PROVINCE.values()) == sorted(Province.values)


@pytest.mark.parametrize("province", Province.values)
def test_each_shape_is_one_valid_closed_path(province):
    commands = shapes.parse_path(shapes.outlines()[province])
    assert commands[0][0] in "Mm"
    # Every subpath that is started is closed before the next one starts.
    open_ = False
    for command, _numbers in commands:
        if command in "Mm":
            assert not open_, "a subpath was left open"
            open_ = True
        elif command in "Zz":
            open_ = False
    assert not open_


@pytest.mark.parametrize("bad", ["L1,2z", "M1z", "M1,2 L3z", "M1,2 Z3", "M1,2 L3,4 x z"])
def test_parse_path_refuses_broken_paths(bad):
    with pytest.raises(ValueError):
        shapes.parse_path(bad)


def test_shapes_stay_inside_the_viewbox():
    _x, _y, width, height = (float(n) for n in shapes.viewbox().split())
    for d in shapes.outlines().values():
        first = shapes.parse_path(d)[0]
        x, y = first[1][:2]
        assert 0 <= x <= width and 0 <= y <= height


def test_the_extractor_reads_paths_and_polygons():
    source = (
        'React.createElement("path", { "data-name": \'\\u0642\\u0645\', onClick: function (e) '
        "{ return 1; }, d: 'M1,2l3,4\\r\\n  l5,6' }),"
        'React.createElement("polygon", { "data-name": \'\\u06cc\\u0632\\u062f\', '
        "points: '1,2 3,4 5,6 ' })"
    )
    # extract() insists on all 31 provinces.
    with pytest.raises(SystemExit, match="found 2"):
        extract_shapes.extract(source)
    assert extract_shapes._outline("d", r"M1,2l3,4\r\n  l5,6") == "M1,2l3,4 l5,6z"
    assert extract_shapes._outline("points", "1,2 3,4 5,6 ") == "M1,2L3,4L5,6Z"


def test_the_licence_is_kept_beside_the_shapes():
    data = json.loads(shapes.DATA.read_text(encoding="utf-8"))
    assert data["licence"] == "MIT"
    licence = (shapes.DATA.parent / "LICENSE-react-iran-map").read_text()
    assert "MIT License" in licence and "Sima Mojtahedi" in licence
