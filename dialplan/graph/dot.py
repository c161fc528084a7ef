"""`Graph` to Graphviz DOT text: flows and states as nested clusters, one shape per kind.

Laid out for plans of dozens of states: left to right with the routes in the first
rank, so the entry is at the left edge and a menu's branches fan out downwards; branch
labels are `xlabel`s, which Graphviz places beside their own edge after layout, where
a plain `label` becomes a node in the rank between the ends and ends up nearer
another edge than its own once many edges leave one menu.

Written by hand (no graphviz Python package): the format is small and quoting all of
it is the only care needed.
"""

from __future__ import annotations

from . import model

FONT = "Helvetica"
# kind -> node attributes; every kind not listed is a rounded white box.
STYLE: dict[str, str] = {
    "route": 'shape=cds, style="filled", fillcolor="#fde68a"',
    "input": 'shape=box, style="rounded,filled,bold", fillcolor="#dbeafe"',
    "condition": 'shape=diamond, style="filled", fillcolor="#fef3c7"',
    "queue": 'shape=cylinder, style="filled", fillcolor="#ede9fe"',
    "transfer": 'shape=rarrow, style="filled", fillcolor="#dcfce7"',
    "dial": 'shape=parallelogram, style="filled", fillcolor="#dcfce7"',
    "hangup": 'shape=octagon, style="filled", fillcolor="#fecaca"',
    "run": 'shape=box, peripheries=2, style="filled", fillcolor="#f3f4f6"',
    "return": 'shape=invhouse, style="filled", fillcolor="#f3f4f6"',
    "retry": 'shape=box, style="rounded,dashed,filled", fillcolor="#ffffff"',
    "end": 'shape=doublecircle, style="filled", fillcolor="#e5e7eb", fontsize=9, '
           "width=0.3, margin=0",
}
DEFAULT_STYLE = 'shape=box, style="rounded,filled", fillcolor="#ffffff"'


def quote(text: str) -> str:
    """A DOT string: quotes and backslashes escaped, lines joined by centred breaks."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + escaped.replace("\r", "").replace("\n", "\\n") + '"'


def to_dot(graph: model.Graph) -> str:
    lines = [
        "digraph dialplan {",
        f"  graph [label={quote(graph.title)}, labelloc=t, fontname={quote(FONT)}, "
        "fontsize=16, compound=true, rankdir=LR, newrank=true, forcelabels=true, "
        "nodesep=0.35, ranksep=0.45];",
        f"  node [fontname={quote(FONT)}, fontsize=11, margin=\"0.15,0.06\"];",
        f"  edge [fontname={quote(FONT)}, fontsize=10, color=\"#4b5563\"];",
    ]
    lines += [_node(node, "  ") for node in graph.routes]
    if graph.routes:
        lines.append("  { rank=min; " + " ".join(f"{node.id};" for node in graph.routes) + " }")
    for flow in graph.flows:
        lines += _flow(flow)
    lines += [_edge(edge) for edge in graph.edges]
    return "\n".join([*lines, "}"]) + "\n"


def _flow(flow: model.Flow) -> list[str]:
    lines = [f"  subgraph {flow.id} {{",
             f"    label={quote('flow ' + flow.name)}; style=\"rounded,dashed\"; "
             'color="#9ca3af"; fontsize=13;']
    for state in flow.states:
        lines += [f"    subgraph {state.id} {{",
                  f"      label={quote(state.name)}; style=\"rounded,filled\"; "
                  'fillcolor="#f8fafc"; color="#94a3b8"; fontsize=12;']
        lines += [_node(node, "      ") for node in state.nodes]
        lines.append("    }")
    return [*lines, "  }"]


def _node(node: model.Node, indent: str) -> str:
    return f"{indent}{node.id} [label={quote(node.label)}, {STYLE.get(node.kind, DEFAULT_STYLE)}];"


def _edge(edge: model.Edge) -> str:
    attributes = []
    if edge.label:
        attributes.append(f"xlabel={quote(edge.label)}")
    if edge.dashed:
        attributes.append("style=dashed")
    if edge.cluster:
        attributes.append(f"lhead={edge.cluster}")
    if not edge.constraint:
        attributes.append("constraint=false")
    suffix = f" [{', '.join(attributes)}]" if attributes else ""
    return f"  {edge.source} -> {edge.target}{suffix};"
