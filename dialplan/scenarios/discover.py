"""Finding scenario files from the paths given to `dialplan test`.

A folder means every `*.test` below it; a `*.test` file means itself; a plan file
means the `*.test` beside it with the same name. Plans under a folder that no
scenario file tests are reported too, so a plan without scenarios cannot pass for
fully covered by being left out.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from ..diagnostics import Report
from ..loader import SUFFIX as PLAN_SUFFIX
from ..loader import Sources, display_path, expand, roots
from .model import Pos, ScenarioFile
from .parse import SUFFIX, read_scenarios
from .transform import ScenarioError


@dataclass
class Found:
    files: list[ScenarioFile] = field(default_factory=list)
    errors: list[ScenarioError] = field(default_factory=list)
    untested: list[str] = field(default_factory=list)  # plan roots no scenario file tests


def _scenario_paths(path: str) -> list[str]:
    if os.path.isdir(path):
        return [str(p) for p in sorted(Path(path).rglob(f"*{SUFFIX}"))]
    if path.endswith(PLAN_SUFFIX):
        return [str(Path(path).with_suffix(SUFFIX))]
    return [path]


def discover(paths: list[str]) -> Found:
    found = Found()
    names = list(dict.fromkeys(display_path(p) for path in paths for p in _scenario_paths(path)))
    for name in names:
        try:
            scenario_file = read_scenarios(name)
        except ScenarioError as error:
            found.errors.append(error)
            continue
        if not os.path.isfile(scenario_file.plan_path):
            found.errors.append(ScenarioError(Pos(name, 1, 1),
                                              f"no plan {scenario_file.plan_path}: name it "
                                              f"with `plan \"FILE\"` or put it beside"))
            continue
        found.files.append(scenario_file)
    folders = [path for path in paths if os.path.isdir(path)]
    tested = {f.plan_path for f in found.files}
    plan_roots = roots(expand(folders), Sources(), Report()) if folders else []
    found.untested = [root for root in plan_roots if root not in tested]
    return found
