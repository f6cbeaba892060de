"""Iran's 31 province outlines (from react-iran-map, MIT; see atlas/data/extract_shapes.py)."""

import json
import re
from functools import cache
from pathlib import Path


DATA = Path(__file__).resolve().parent / "data" / "provinces.json"
# How many numbers each SVG path command takes.
ARITY = {"m": 2, "l": 2, "h": 1, "v": 1, "c": 6, "s": 4, "q": 4, "t": 2, "a": 7, "z": 0}
TOKEN = re.compile(
    r"([MmLlHhVvCcSsQqTtAaZz])|(-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)|([\s,]+)|(.)"
)


@cache
def _data() -> dict:
    return json.loads(DATA.read_text(encoding="utf-8"))


def viewbox() -> str:
    return _data()["viewBox"]


def outlines() -> dict[str, str]:
    """Province value → SVG path `d`."""
    return {value: shape["d"] for value, shape in _data()["provinces"].items()}


def parse_path(d: str) -> list[tuple[str, list[float]]]:
    """The path's commands with their numbers; ValueError when it is not a well-formed path."""
    commands: list[tuple[str, list[float]]] = []
    for command, number, _space, other in TOKEN.findall(d):
        if other:
            raise ValueError(f"unexpected {other!r} in path")
        if command:
            commands.append((command, []))
        elif number:
            if not commands:
                raise ValueError("a path starts with a command")
            commands[-1][1].append(float(number))
    if not commands or commands[0][0] not in "Mm":
        raise ValueError("a path starts with a move")
    for command, numbers in commands:
        arity = ARITY[command.lower()]
        if (arity == 0 and numbers) or (arity and (not numbers or len(numbers) % arity)):
            raise ValueError(f"{command} takes {arity} numbers at a time, got {len(numbers)}")
    return commands
