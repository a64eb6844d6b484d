"""policypack/ has no import cycle, lazy imports included: a module never imports, even inside a
function, a module that imports it back. The graph is read from the source (importgraph.py)."""
from .importgraph import cycles, graph


def test_no_import_cycles():
    assert cycles(graph()) == []


def test_the_graph_sees_lazy_imports_and_finds_a_cycle():
    """The check is not vacuous: on a graph with a cycle through a function-level import
    (as crossguard and routing once had) it reports it."""
    edges = graph()
    assert "policypack.routing" in edges["policypack.serving"]          # module-level import
    # cli imports everything it runs inside its functions (start-up stays light): seen.
    assert {"policypack.scan", "policypack.registry", "policypack.rule_listing"} <= edges["policypack.cli"]
    edges = {k: set(v) for k, v in edges.items()}
    edges["policypack.routing"].add("policypack.serving")
    assert ["policypack.routing", "policypack.serving"] in cycles(edges)
