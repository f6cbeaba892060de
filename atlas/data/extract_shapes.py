"""Extract the 31 province outlines from the MIT-licensed npm package react-iran-map.

Run once (needs npm and network); the result, provinces.json, is committed beside this
script with the package's licence (LICENSE-react-iran-map), so the site needs neither:

    python atlas/data/extract_shapes.py            # npm pack react-iran-map@0.1.3
    python atlas/data/extract_shapes.py some.tgz   # or an already downloaded tarball

The package draws each province as a React element with its Persian name in `data-name`
and its outline in `d` (a path) or `points` (a polygon, turned into a closed path here).
"""

import json
import re
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path


PACKAGE = "react-iran-map@0.1.3"
SOURCE = "package/dist/esm/components/mapSvg/IranMapWrapper.js"
VIEWBOX = "0 0 1080 1080"
HERE = Path(__file__).resolve().parent

# The package's Persian names → registrations.choices.Province values.
FA_TO_PROVINCE = {
    "آذربایجان شرقی": "azarbaijan_east",
    "آذربایجان غربی": "azarbaijan_west",
    "اردبیل": "ardabil",
    "اصفهان": "isfahan",
    "البرز": "alborz",
    "ایلام": "ilam",
    "بوشهر": "bushehr",
    "تهران": "tehran",
    "چهارمحال و بختیاری": "chaharmahal",
    "خراسان جنوبی": "khorasan_south",
    "خراسان رضوی": "khorasan_razavi",
    "خراسان شمالی": "khorasan_north",
    "خوزستان": "khuzestan",
    "زنجان": "zanjan",
    "سمنان": "semnan",
    "سیستان و بلوچستان": "sistan",
    "فارس": "fars",
    "قزوین": "qazvin",
    "قم": "qom",
    "کردستان": "kurdistan",
    "کرمان": "kerman",
    "کرمانشاه": "kermanshah",
    "کهگیلویه و بویراحمد": "kohgiluyeh",
    "گلستان": "golestan",
    "گیلان": "gilan",
    "لرستان": "lorestan",
    "مازندران": "mazandaran",
    "مرکزی": "markazi",
    "هرمزگان": "hormozgan",
    "همدان": "hamadan",
    "یزد": "yazd",
}

ELEMENT = re.compile(r"\"data-name\": '([^']*)'.*?\b(d|points): '([^']*)'", re.S)


def _tarball(argv: list[str], workdir: Path) -> Path:
    if argv:
        return Path(argv[0])
    subprocess.run(["npm", "pack", PACKAGE], cwd=workdir, check=True, capture_output=True)  # noqa: S603, S607
    return next(workdir.glob("react-iran-map-*.tgz"))


def _outline(kind: str, value: str) -> str:
    # The JavaScript source writes line breaks inside the strings as \r\n escapes.
    value = " ".join(value.encode("ascii").decode("unicode_escape").split())
    if kind == "d":
        # Two outlines stop at their starting point without a closing `z`; close them.
        return value if value[-1] in "zZ" else value + "z"
    points = value.split(" ")
    return "M" + points[0] + "".join(f"L{point}" for point in points[1:]) + "Z"


def extract(source: str) -> dict[str, dict[str, str]]:
    shapes = {}
    for name, kind, value in ELEMENT.findall(source):
        fa = name.encode("ascii").decode("unicode_escape")
        shapes[FA_TO_PROVINCE[fa]] = {"fa": fa, "d": _outline(kind, value)}
    if len(shapes) != len(FA_TO_PROVINCE):
        raise SystemExit(f"expected {len(FA_TO_PROVINCE)} provinces, found {len(shapes)}")
    return dict(sorted(shapes.items()))


def main(argv: list[str]) -> None:
    with tempfile.TemporaryDirectory() as tmp, tarfile.open(_tarball(argv, Path(tmp))) as tar:
        source = tar.extractfile(SOURCE).read().decode("utf-8")
        licence = tar.extractfile("package/LICENSE").read().decode("utf-8")
    data = {"source": PACKAGE, "licence": "MIT", "viewBox": VIEWBOX, "provinces": extract(source)}
    (HERE / "provinces.json").write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n")
    (HERE / "LICENSE-react-iran-map").write_text(licence)


if __name__ == "__main__":
    main(sys.argv[1:])
