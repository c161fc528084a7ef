"""The built wheel holds everything `dialplan serve` needs besides Python code: every
data file of the `dialplan` and `engine` packages (the grammars, the Kamailio template,
...), so `pip install .` gives a working service; and its requirements make the SIP
engine a dependency and the optional backends (Redis, speech) extras."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import zipfile
from email.parser import Parser

import pytest

from tests.support.harness import ROOT

PACKAGES = ("dialplan", "engine")
NEEDED = {"dialplan/syntax/grammar.lark", "dialplan/scenarios/scenario.lark",
          "dialplan/proxy/kamailio.cfg.j2"}


def source_data_files() -> set[str]:
    """Every file of the packages that is not Python: what the code reads at run time."""
    found = set()
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*"):
            if path.is_file() and path.suffix not in (".py", ".pyc") \
                    and "__pycache__" not in path.parts:
                found.add(path.relative_to(ROOT).as_posix())
    return found


def name(requirement: str) -> str:
    """`lark<2,>=1.2` -> `lark`."""
    found = re.match(r"[A-Za-z0-9_.-]+", requirement)
    assert found is not None, requirement
    return found.group()


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> zipfile.ZipFile:
    """The wheel built from a copy of the source (the build leaves nothing in the tree)."""
    source = tmp_path_factory.mktemp("source")
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    for package in PACKAGES:
        shutil.copytree(ROOT / package, source / package,
                        ignore=shutil.ignore_patterns("__pycache__"))
    out = tmp_path_factory.mktemp("wheel")
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps",
                            "-q", "-w", str(out), str(source)],
                           capture_output=True, text=True, timeout=120, check=False)
    assert built.returncode == 0, built.stderr[-2000:]
    return zipfile.ZipFile(next(out.glob("dialplan-*.whl")))


def test_the_wheel_holds_every_data_file_the_service_reads(wheel: zipfile.ZipFile) -> None:
    names = set(wheel.namelist())
    assert source_data_files() >= NEEDED  # the list above names real files
    assert source_data_files() - names == set()


def test_the_engine_is_a_dependency_and_redis_and_speech_are_extras(
        wheel: zipfile.ZipFile) -> None:
    metadata = next(n for n in wheel.namelist() if n.endswith(".dist-info/METADATA"))
    requires = Parser().parsestr(wheel.read(metadata).decode()).get_all("Requires-Dist", [])
    base = {name(r) for r in requires if "extra ==" not in r}
    assert {"pjsua2-python", "lark", "jinja2", "aiohttp"} <= base
    assert not base & {"redis", "vosk"}
    assert any(r.startswith("redis") and 'extra == "redis"' in r for r in requires)
    assert any(r.startswith("vosk") and 'extra == "speech"' in r for r in requires)
