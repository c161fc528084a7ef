"""`dialplan graph`: the compiled flow as a picture (DOT, Mermaid, or SVG via Graphviz)."""

from .build import build_graph
from .dot import to_dot
from .mermaid import to_mermaid
from .svg import GraphvizError, render_svg

__all__ = ["GraphvizError", "build_graph", "render_svg", "to_dot", "to_mermaid"]
