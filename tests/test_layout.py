"""The package's shape, as docs/architecture.md describes it: folders by concern, small modules,
no import cycles, and each subpackage importing only the layers below it."""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "corpus_pkg"
MAX_LINES = 450
MAX_PUBLIC_ROOT_MODULES = 6

#: What each part of the package may import from the rest of it (besides itself and private
#: root helpers ``_*.py``). Mirrors the "may import" lines of docs/architecture.md.
ALLOWED = {
    "schema": set(),
    "corpus": {"schema"},
    "text": {"schema"},
    "validate": {"schema", "corpus", "text"},
    "annotate": {"schema", "corpus", "text", "validate"},
    "agree": {"schema", "corpus", "text", "validate", "annotate"},
    "suggest": {"schema", "corpus", "text", "validate", "annotate"},
    "convert": {"schema", "corpus", "text", "validate", "annotate"},
    "tables": {"schema", "corpus", "text", "validate"},
    "release": {"schema", "corpus", "text", "validate", "tables", "agree"},
    "load": {"schema", "corpus", "tables", "release"},
    "web": {"schema", "corpus", "text", "validate", "annotate", "agree", "suggest"},
}


def _modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


def _imports(name: str, path: Path, top_level_only: bool) -> set[str]:
    """Package modules that ``name`` imports (module level only when ``top_level_only``)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    nodes = tree.body if top_level_only else list(ast.walk(tree))
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    found = set()
    for node in nodes:
        if isinstance(node, ast.If) and top_level_only:  # `if TYPE_CHECKING:` imports are not run
            continue
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.startswith("corpus_pkg"):
                found.add(target)
                found.update(f"{target}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name.startswith("corpus_pkg"))
    return found


def _part(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "(root)"


def test_the_package_root_holds_few_public_modules() -> None:
    public = sorted(p.name for p in PACKAGE.glob("*.py") if not p.name.startswith("_"))
    assert len(public) + 2 <= MAX_PUBLIC_ROOT_MODULES, public  # plus __init__ and __main__


def test_no_module_is_too_long() -> None:
    long = {
        str(p.relative_to(PACKAGE)): n
        for p in PACKAGE.rglob("*.py")
        if (n := len(p.read_text().splitlines())) > MAX_LINES
    }
    assert not long, f"modules over {MAX_LINES} lines: {long}"


def test_no_import_cycles() -> None:
    modules = _modules()
    graph = {
        name: {m for m in _imports(name, path, top_level_only=True) if m in modules} - {name}
        for name, path in modules.items()
    }
    for name in graph:  # a package's __init__ importing its own submodules is not a cycle of concern
        graph[name] = {
            m for m in graph[name] if not (name == m.rsplit(".", 1)[0] and modules[name].name == "__init__.py")
        }
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycle = stack[stack.index(nxt) :] + [nxt]
                raise AssertionError("import cycle: " + " -> ".join(cycle))
            if nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node)


def test_each_part_imports_only_the_layers_below_it() -> None:
    wrong: dict[str, set[str]] = defaultdict(set)
    for name, path in _modules().items():
        part = _part(name)
        if part not in ALLOWED:
            continue
        for target in _imports(name, path, top_level_only=False):
            other = _part(target)
            if other != part and not other.startswith("_") and other not in ALLOWED[part]:
                wrong[name].add(target)
    assert not wrong, dict(wrong)
