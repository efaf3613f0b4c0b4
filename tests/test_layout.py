"""The house rules of issue 16, checked on the source: imports run one way, with no circles.

Only module-level imports count (an import inside a function runs late, when every module is loaded)."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = [
    "core",
    "people",
    "audit",
    "publishing",
    "monitoring",
    "disclosures",
    "recruitment",
    "cases",
    "surveillance",
    "reports",
    "bench",
    "socialpolicy",
]


def _modules() -> dict[str, Path]:
    found = {}
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
            found[name.removesuffix(".__init__")] = path
    return found


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        for node in ast.parse(path.read_text()).body:
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                targets = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
            else:
                continue
            graph[name].update(t for t in targets if t in modules and t != name)
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in graph:
        if v not in index:
            visit(v)
    return found


def _edges(graph, source: str, target: str) -> list[tuple[str, str]]:
    def within(name: str, app: str) -> bool:
        return name == app or name.startswith(app + ".")

    return sorted((m, t) for m, ts in graph.items() for t in ts if within(m, source) and within(t, target))


def test_no_module_imports_itself_round_a_circle():
    assert _cycles(_graph()) == []


def test_core_imports_no_app_and_cases_never_imports_surveillance():
    graph = _graph()
    for app in APPS:
        if app != "core":
            assert _edges(graph, "core", app) == [], app
    assert _edges(graph, "cases", "surveillance") == []


def test_socialpolicy_imports_an_app_only_to_wire_its_urls():
    graph = _graph()
    outside = [(m, t) for app in APPS if app != "socialpolicy" for m, t in _edges(graph, "socialpolicy", app)]
    assert all(m == "socialpolicy.urls" for m, _ in outside), outside


def test_the_circle_check_can_see_a_circle():
    assert _cycles({"a": {"b"}, "b": {"a"}, "c": set()}) == [["a", "b"]]
