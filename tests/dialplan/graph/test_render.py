"""Every example draws as DOT, Mermaid and SVG; the SVG parses and names every state."""

from __future__ import annotations

import re
import shutil
import subprocess
import xml.etree.ElementTree as ElementTree

import pytest
from hypothesis import HealthCheck, given, settings

from dialplan.graph import build_graph, render_svg, to_dot, to_mermaid
from dialplan.plan import Plan
from tests.dialplan.fmt.plans import plan_source
from tests.dialplan.graph.conftest import compiled_text

needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz is not installed")
TRICKY = compiled_text('route 1 -> f\nflow f { say "a \\"quoted\\" \\\\ back # <b> end" }')


def state_names(plan: Plan) -> list[str]:
    return [state for flow in plan.flows for state, _ in flow.states]


def test_example_dot_has_a_cluster_per_state_and_balanced_braces(example: Plan) -> None:
    dot = to_dot(build_graph(example))
    assert dot.startswith("digraph dialplan {")
    assert dot.count("subgraph cluster_state") == len(state_names(example))
    structure = re.sub(r'"(\\.|[^"\\])*"', '""', dot)  # labels may quote a cut `{{ ...`
    assert structure.count("{") == structure.count("}")


def test_example_mermaid_is_a_flowchart_with_a_subgraph_per_state(example: Plan) -> None:
    mermaid = to_mermaid(build_graph(example))
    lines = mermaid.splitlines()
    assert lines[0] == "flowchart TD"
    subgraphs = [line for line in lines if line.strip().startswith("subgraph ")]
    assert len(subgraphs) == len(example.flows) + len(state_names(example))
    assert sum(line.strip() == "end" for line in lines) == len(subgraphs)
    for name in state_names(example):
        assert f'["{name}"]' in mermaid


@needs_dot
def test_example_svg_parses_as_xml_and_names_every_state(example: Plan) -> None:
    root = ElementTree.fromstring(render_svg(to_dot(build_graph(example))))
    texts = {element.text for element in root.iter("{http://www.w3.org/2000/svg}text")}
    assert set(state_names(example)) <= texts


def test_dot_quotes_user_text_so_it_cannot_break_the_file() -> None:
    dot = to_dot(build_graph(TRICKY))
    assert 'label="say \\"a \\\\\\"quoted\\\\\\" \\\\\\\\ back #' in dot


def test_mermaid_turns_its_special_characters_into_entities() -> None:
    mermaid = to_mermaid(build_graph(TRICKY))
    assert "#quot;a \\#quot;quoted\\#quot; \\\\ back #35;<br/>#lt;b#gt; end#quot;" in mermaid
    assert ":::end" not in mermaid and "classDef end " not in mermaid
    assert not re.search(r"^\s*end\w|--> end", mermaid, re.MULTILINE)  # `end` is a keyword


@needs_dot
def test_svg_of_tricky_text_still_parses() -> None:
    ElementTree.fromstring(render_svg(to_dot(build_graph(TRICKY))))


@needs_dot
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plan_source())
def test_generated_plans_draw_without_graphviz_warnings(text: str) -> None:
    dot = to_dot(build_graph(compiled_text(text)))
    done = subprocess.run(["dot", "-Tsvg"], input=dot.encode(), capture_output=True, check=False)
    assert done.returncode == 0 and done.stderr == b""
    ElementTree.fromstring(done.stdout)
