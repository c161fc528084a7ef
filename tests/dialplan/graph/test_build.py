"""What the picture shows: states as clusters, one node per compiled node with a shape
kind, edges labelled with digits, spoken words and events."""

from __future__ import annotations

from dialplan.graph import build_graph
from dialplan.graph.model import Graph
from tests.dialplan.graph.conftest import ROOT, compiled, compiled_text

DIALPLANS = ROOT / "examples" / "dialplans"


def labels(graph: Graph) -> dict[tuple[str, str], str]:
    names = {node.id: node.label for flow in graph.flows for state in flow.states
             for node in state.nodes}
    names.update({node.id: node.label for node in graph.routes})
    return {(names[e.source], names[e.target]): e.label for e in graph.edges}


def kinds(graph: Graph) -> dict[str, str]:
    return {node.label: node.kind for flow in graph.flows for state in flow.states
            for node in state.nodes}


def test_every_state_of_every_flow_is_a_cluster_named_after_it() -> None:
    graph = build_graph(compiled(DIALPLANS / "demo.dialplan"))
    assert [(f.name, [s.name for s in f.states]) for f in graph.flows] == [
        ("demo", ["start", "menu", "goodbye"])]


def test_menu_edges_are_labelled_with_digits_and_events() -> None:
    edges = labels(build_graph(compiled(DIALPLANS / "demo.dialplan")))
    menu = 'menu "Press 1 to hear\ngoodbye. Press 2 to be\ntransferred."'
    assert edges[(menu, 'say "Goodbye."')] == "1"
    assert edges[(menu, "transfer\nsip:200@127.0.0.1:5070")] == "2"
    assert edges[(menu, "hangup")] == "exhausted"
    assert edges[("transfer\nsip:200@127.0.0.1:5070", 'say "The transfer failed."')] == "failed"


def test_spoken_words_label_edges_in_quotes_next_to_their_digit() -> None:
    edges = labels(build_graph(compiled(DIALPLANS / "speech_menu.dialplan")))
    assert '2, "support", "help"' in edges.values()


def test_keys_to_the_same_place_share_one_edge() -> None:
    edges = labels(build_graph(compiled(DIALPLANS / "directory.dialplan")))
    assert "busy, noanswer, failed" in edges.values()


def test_queues_transfers_dials_and_hangups_have_their_own_kinds() -> None:
    plan = compiled_text(
        'queue q { agents "sip:a@127.0.0.1" }\nroute 1 -> f\n'
        'flow f { transfer "sip:b@127.0.0.1" { failed -> dial "sip:c@127.0.0.1" }\n'
        "queue q\nhangup cause busy }")
    assert kinds(build_graph(plan)) == {
        "transfer sip:b@127.0.0.1": "transfer", "dial sip:c@127.0.0.1": "dial",
        "queue q": "queue", "hangup busy": "hangup"}


def test_routes_point_at_the_cluster_of_the_state_they_enter() -> None:
    graph = build_graph(compiled(DIALPLANS / "support_line.dialplan"))
    assert [r.label for r in graph.routes] == ["route 300", "route 300 from _49301234XXX"]
    route_edges = [e for e in graph.edges if e.source.startswith("route")]
    assert [e.cluster is not None for e in route_edges] == [True, True]


def test_a_sub_flow_call_is_a_dashed_run_edge_and_retries_loop_back_dashed() -> None:
    graph = build_graph(compiled(DIALPLANS / "multi" / "main.dialplan"))
    runs = [e for e in graph.edges if e.label == "run"]
    assert runs and all(e.dashed for e in runs)
    retries = [e for e in graph.edges if e.dashed and not e.constraint]
    assert retries and all(e.label == "" for e in retries)


def test_a_state_that_runs_out_of_statements_ends_in_an_end_node() -> None:
    graph = build_graph(compiled_text('route 1 -> f\nflow f { a: say "x" b: }'))
    states = {s.name: [n.kind for n in s.nodes] for s in graph.flows[0].states}
    assert states == {"a": ["action", "end"], "b": ["end"]}


def test_long_texts_wrap_and_stop_after_three_lines() -> None:
    graph = build_graph(compiled_text('route 1 -> f\nflow f { say "' + "word " * 60 + '" }'))
    label = graph.flows[0].states[0].nodes[0].label
    assert len(label.splitlines()) == 3 and label.endswith("…")


def test_outcomes_without_a_branch_label_the_edge_to_what_follows() -> None:
    plan = compiled_text('route 1 -> f\nflow f { dial "sip:a@127.0.0.1" { busy -> hangup }\n'
                         'collect pin digits 4\nsay "next" }')
    edges = labels(build_graph(plan))
    assert edges[("dial sip:a@127.0.0.1", "collect pin")] == "answered, noanswer, failed"
    assert edges[("collect pin", 'say "next"')] == "ok"


def test_nothing_is_drawn_for_a_continuation_the_machine_never_takes() -> None:
    plan = compiled_text('route 1 -> f\nflow f { menu "p" { 1 -> hangup }\nsay "after" }')
    graph = build_graph(plan)
    edges = labels(graph)
    assert ('menu "p"', 'say "after"') not in edges
    assert edges[('menu "p"', "hangup")] == "1"
