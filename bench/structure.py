"""Measure the code's structure from the source: cycles, transactions in handlers, layering.

Run: ``python bench/structure.py [CHECKOUT]`` (prints the figures; exit 1 when a limit is exceeded).
``tests/test_architecture.py`` checks the same limits on every test run.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("bot", "dialogs", "integrations")
HANDLER_DIRS = ("bot/console", "bot/api", "bot/web")
MODES = frozenset({"bot", "queued", "agent"})
MAX_MODULE_LINES = 450
# Generated or tabular files, not hand-written logic.
DATA_MODULES = frozenset({"bot/storage/migrations/versions/0001_initial_schema.py"})
LIMITS = {
    "import_cycles": 0,
    "handler_units_of_work": 5,
    "session_uses_outside_storage": 0,
    "chat_mode_literals": 0,
    "modules_over_limit": 0,
    "router_flow_elifs": 0,
}


@dataclass
class Figures:
    """What was measured, with the places that count."""

    cycles: list[list[str]] = field(default_factory=list)
    handler_uows: list[str] = field(default_factory=list)
    sessions: list[str] = field(default_factory=list)
    mode_literals: list[str] = field(default_factory=list)
    big_modules: list[str] = field(default_factory=list)
    router_elifs: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        """Return each figure as a number, keyed like ``LIMITS``."""
        return {
            "import_cycles": len(self.cycles),
            "handler_units_of_work": len(self.handler_uows),
            "session_uses_outside_storage": len(self.sessions),
            "chat_mode_literals": len(self.mode_literals),
            "modules_over_limit": len(self.big_modules),
            "router_flow_elifs": len(self.router_elifs),
        }


def python_files(root: Path = ROOT) -> Iterator[tuple[str, Path]]:
    """Yield (relative path, path) of every source module of the service."""
    for package in PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            yield path.relative_to(root).as_posix(), path


def module_name(rel: str) -> str:
    """Return the dotted module name of a relative path."""
    parts = rel[:-3].split("/")
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _imports(tree: ast.Module, name: str, is_package: bool, known: set[str]) -> Iterator[str]:
    """Yield every module this one imports, lazily or for type checking included.

    A function-level or ``TYPE_CHECKING`` import that closes a loop is a cycle in the design
    even when Python never trips over it.
    """
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                pkg = name.split(".") if is_package else name.split(".")[:-1]
                pkg = pkg[: len(pkg) - (node.level - 1)]
                base = ".".join([*pkg, base] if base else pkg)
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                yield sub if sub in known else base


def import_cycles(root: Path = ROOT) -> list[list[str]]:
    """Return the strongly connected groups of modules that import each other."""
    trees = {
        module_name(rel): (path, rel.endswith("__init__.py")) for rel, path in python_files(root)
    }
    graph: dict[str, set[str]] = {}
    for name, (path, is_package) in trees.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        targets = set()
        for imported in _imports(tree, name, is_package, set(trees)):
            while imported and imported not in trees:
                imported = imported.rpartition(".")[0]
            if imported and imported != name:
                targets.add(imported)
        graph[name] = targets
    return [sorted(group) for group in _strongly_connected(graph) if len(group) > 1]


def _strongly_connected(graph: dict[str, set[str]]) -> list[list[str]]:
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []
    counter = 0

    def visit(node: str) -> None:
        nonlocal counter
        index[node] = low[node] = counter
        counter += 1
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            groups.append(group)

    sys.setrecursionlimit(10_000)
    for node in sorted(graph):
        if node not in index:
            visit(node)
    return groups


def _is_mode(node: ast.expr) -> bool:
    return isinstance(node, ast.Attribute) and node.attr == "mode"


def _is_mode_literal(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and node.value in MODES


def _is_uow_session(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.Attribute)
        and node.attr == "session"
        and ast.unparse(node.value).endswith("uow")
    )


def measure(root: Path = ROOT) -> Figures:
    """Measure every figure over the service's source."""
    figures = Figures(cycles=import_cycles(root))
    for rel, path in python_files(root):
        source = path.read_text(encoding="utf-8")
        lines = source.count("\n")
        if lines > MAX_MODULE_LINES and rel not in DATA_MODULES:
            figures.big_modules.append(f"{rel} ({lines} lines)")
        tree = ast.parse(source)
        in_handlers = rel.startswith(HANDLER_DIRS)
        in_storage = rel.startswith("bot/storage/")
        for node in ast.walk(tree):
            where = f"{rel}:{getattr(node, 'lineno', 0)}"
            if in_handlers and isinstance(node, ast.AsyncWith):
                for item in node.items:
                    call = item.context_expr
                    if isinstance(call, ast.Call) and ast.unparse(call.func).endswith("uow"):
                        figures.handler_uows.append(where)
            if not in_storage and _is_uow_session(node):
                figures.sessions.append(where)
            if isinstance(node, ast.Compare):
                sides = [node.left, *node.comparators]
                if any(_is_mode(s) for s in sides) and any(_is_mode_literal(s) for s in sides):
                    figures.mode_literals.append(where)
            if isinstance(node, ast.Assign | ast.AnnAssign):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                if (
                    any(_is_mode(t) for t in targets)
                    and node.value
                    and _is_mode_literal(node.value)
                ):
                    figures.mode_literals.append(where)
            if (
                isinstance(node, ast.keyword)
                and node.arg == "mode"
                and _is_mode_literal(node.value)
            ):
                figures.mode_literals.append(where)
        if rel == "dialogs/router.py":
            figures.router_elifs = _flow_elifs(tree, rel)
    return figures


def _flow_elifs(tree: ast.Module, rel: str) -> list[str]:
    """Return the ``elif`` branches that pick a flow or command by its name."""
    found = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.If)
            and len(node.orelse) == 1
            and isinstance(node.orelse[0], ast.If)
        ):
            branch = node.orelse[0]
            test = ast.unparse(branch.test)
            if "flow" in test or "command" in test or "==" in test:
                found.append(f"{rel}:{branch.lineno}")
    return found


def main(argv: list[str]) -> int:
    """Print the figures and their limits; fail when one is exceeded."""
    figures = measure(Path(argv[0]) if argv else ROOT)
    failed = False
    for name, count in figures.counts().items():
        limit = LIMITS[name]
        mark = "ok" if count <= limit else "OVER"
        failed |= count > limit
        print(f"{name:32} {count:4d}  (limit {limit})  {mark}")
    details = {
        "import cycles": [" <-> ".join(group) for group in figures.cycles],
        "units of work in handlers": figures.handler_uows,
        "uow.session outside bot/storage": figures.sessions,
        "chat mode literals": figures.mode_literals,
        f"modules over {MAX_MODULE_LINES} lines": figures.big_modules,
        "router elifs": figures.router_elifs,
    }
    for title, places in details.items():
        if places:
            print(f"\n{title}:")
            for place in places:
                print(f"  {place}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
