"""Layout choices that keep a large plan readable, pinned on a 30-state clinic IVR:
left to right with the routes in the first rank (the entry at the left edge), branch
labels as `xlabel`s placed beside their own edge, a cluster per flow, entry flow first."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from dialplan.graph import build_graph, to_dot
from tests.dialplan.graph.conftest import compiled

CLINIC = compiled(Path(__file__).with_name("clinic.dialplan"))
DOT = to_dot(build_graph(CLINIC))
needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz is not installed")


def test_the_clinic_plan_has_thirty_states() -> None:
    assert sum(len(flow.states) for flow in CLINIC.flows) == 30


def test_the_graph_reads_left_to_right_with_labels_placed_after_layout() -> None:
    header = DOT.splitlines()[1]
    assert "rankdir=LR" in header and "newrank=true" in header and "forcelabels=true" in header


def test_routes_share_the_first_rank() -> None:
    assert "  { rank=min; route0; route1; }" in DOT.splitlines()


def test_branch_labels_are_edge_xlabels_never_mid_edge_label_nodes() -> None:
    edges = [line for line in DOT.splitlines() if " -> " in line]
    assert any('xlabel="0, exhausted"' in edge for edge in edges)
    assert not any(re.search(r"[\[ ]label=", edge) for edge in edges)


def test_each_flow_is_a_cluster_and_the_entry_flow_comes_first() -> None:
    flows = re.findall(r'subgraph cluster_flow\d+ \{\n    label="flow (\w+)"', DOT)
    assert flows[0] == "clinic"
    assert sorted(flows) == sorted(flow.name for flow in CLINIC.flows)
    assert flows.index("pharmacy") < flows.index("appointments")  # route 200 leads there


@needs_dot
def test_the_rendered_entry_is_at_the_left_edge_and_the_picture_fits_a_wide_screen() -> None:
    done = subprocess.run(["dot", "-Tjson"], input=DOT, text=True, capture_output=True,
                          check=True, timeout=60)
    layout = json.loads(done.stdout)
    xs = {item["name"]: float(item["pos"].split(",")[0])
          for item in layout["objects"] if "pos" in item}
    assert xs["route0"] == min(xs.values())
    _, _, width, height = (float(v) for v in layout["bb"].split(","))
    # Before: 2972 x 1315 pt with the entry in the middle; now about 2550 x 1250.
    assert width < 2800 and width / height < 2.5
