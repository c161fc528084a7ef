"""`Graph` to Mermaid (`flowchart TD`), for Markdown that renders it (GitHub, GitLab):
the same clusters, shapes and labels as the DOT picture, as far as Mermaid has them."""

from __future__ import annotations

from . import model

# kind -> (opening, closing) brackets of the Mermaid node shape.
SHAPES: dict[str, tuple[str, str]] = {
    "route": (">", "]"), "input": ("{{", "}}"), "condition": ("{", "}"), "queue": ("[(", ")]"),
    "transfer": ("[\\", "\\]"), "dial": ("[/", "/]"), "hangup": ("([", "])"),
    "run": ("[[", "]]"), "return": ("[\\", "/]"), "retry": ("(", ")"), "end": ("((", "))"),
    "action": ("(", ")"),
}
# Class names carry a prefix: `end` alone is a Mermaid keyword.
CLASSES = {
    "route": "fill:#fde68a", "input": "fill:#dbeafe,stroke-width:2px",
    "condition": "fill:#fef3c7", "queue": "fill:#ede9fe", "transfer": "fill:#dcfce7",
    "dial": "fill:#dcfce7", "hangup": "fill:#fecaca", "run": "fill:#f3f4f6",
    "return": "fill:#f3f4f6", "retry": "fill:#ffffff,stroke-dasharray:4 3",
    "end": "fill:#e5e7eb", "action": "fill:#ffffff",
}


def text(label: str) -> str:
    """A quoted Mermaid label: entity codes for the characters its syntax claims."""
    for char, code in (("#", "#35;"), ('"', "#quot;"), ("<", "#lt;"), (">", "#gt;")):
        label = label.replace(char, code)
    return '"' + label.replace("\n", "<br/>") + '"'


def to_mermaid(graph: model.Graph) -> str:
    lines = ["flowchart TD"]
    lines += [_node(node, "  ") for node in graph.routes]
    for flow in graph.flows:
        lines.append(f"  subgraph {flow.id} [{text('flow ' + flow.name)}]")
        for state in flow.states:
            lines.append(f"    subgraph {state.id} [{text(state.name)}]")
            lines += [_node(node, "      ") for node in state.nodes]
            lines.append("    end")
        lines.append("  end")
    lines += [_edge(edge) for edge in graph.edges]
    lines += [f"  classDef dp_{kind} {style}" for kind, style in CLASSES.items()]
    return "\n".join(lines) + "\n"


def _node(node: model.Node, indent: str) -> str:
    opening, closing = SHAPES[node.kind]
    return f"{indent}{node.id}{opening}{text(node.label)}{closing}:::dp_{node.kind}"


def _edge(edge: model.Edge) -> str:
    arrow = "-.->" if edge.dashed else "-->"
    label = f"|{text(edge.label)}|" if edge.label else ""
    return f"  {edge.source} {arrow}{label} {edge.target}"
