"""Outside tools some tests run (LibreOffice, the npm linters): found, or skipped with a reason.

Under REQUIRE_SERVICES (CI) a missing tool fails the test instead of skipping it, so a
broken install step cannot pass unnoticed.
"""

import os
import shutil
from pathlib import Path

import pytest


ROOT = Path(__file__).resolve().parent.parent


def unavailable(reason: str) -> None:
    if os.environ.get("REQUIRE_SERVICES"):
        pytest.fail(f"{reason} (REQUIRE_SERVICES is set, so this fails instead of skipping)")
    pytest.skip(reason)


def program(name: str, install: str) -> str:
    """The path of a program on PATH."""
    path = shutil.which(name)
    if path is None:
        unavailable(f"{name} is not installed ({install})")
    return path


def node_tool(name: str) -> list[str]:
    """The command that runs an npm-installed tool of package.json with the machine's Node."""
    script = ROOT / "node_modules" / ".bin" / name
    if shutil.which("node") is None or not script.exists():
        unavailable(f"{name} is not installed (npm ci; make test does it)")
    return [str(script)]
