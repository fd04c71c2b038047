"""The layers of ../shared/design.md, visible in the package and checked from its source.

Every import between twitchnet's modules is read from the syntax tree (nothing is imported). A
module may import, at module level, only from its own layer or a lower one, and module-level
imports form no cycle. An import deferred into a function may reach a higher layer only where a
public convenience of the design's contract offers a higher layer's job on a lower layer's
object (``model.diagnose``, ``d.next_questions()``, ``d._repr_html_()``...): each is listed here
by module and function, so a new upward dependency fails this test until it is argued for.
"""

import ast
from pathlib import Path

import pytest

import twitchnet

SRC = Path(twitchnet.__file__).resolve().parent

#: Layer of each module or subpackage (the longest matching prefix counts), lowest first.
LAYERS = {
    # foundations every layer may use: exceptions, limits, the one validation path, caches
    "twitchnet.errors": 0, "twitchnet._version": 0, "twitchnet._memo": 0, "twitchnet.limits": 0,
    "twitchnet._validation": 0, "twitchnet._extras": 0, "twitchnet._cache": 0, "twitchnet.data": 0,
    "twitchnet.evidence": 0,  # the soft-evidence value (maybe), read by the encoder
    "twitchnet._progress": 0,  # the one progress-bar rule (tqdm), for every long computation
    "twitchnet._typing": 0,  # type aliases of the public API (Evidence, EngineName...)
    "twitchnet.kb": 1,  # 1. knowledge base as data
    "twitchnet.results": 2,  # plain result data, built by the layers above
    "twitchnet.model": 2,  # 2. the compiled model (arrays, lookup tables, encoders, exports)
    "twitchnet.engine": 3,  # 3. exact inference behind one interface
    "twitchnet.redflags": 4,  # 5. red flags (independent of any posterior)
    "twitchnet.diagnose": 5, "twitchnet.frame": 5, "twitchnet.text": 5,  # the orchestration of one case, and of a frame
    "twitchnet.explain": 6,  # 4. explanation beyond the contributions: next question, uncertainty
    "twitchnet.simulate": 7, "twitchnet.synthetic": 7, "twitchnet.evaluate": 7, "twitchnet.vignettes": 7, "twitchnet.learn": 7,
    "twitchnet.present": 8,  # 6. presentation: text, HTML, plots, widget, interview, command line
    "twitchnet": 9, "twitchnet.__main__": 9,  # the public entry points
}

#: Deferred upward imports allowed: (module, function) -> modules it may import. Each is a public
#: convenience that the design puts on a lower layer's object.
CONVENIENCES = {
    ("twitchnet.model", "diagnose"): {"twitchnet.diagnose"},  # model.diagnose(evidence)
    ("twitchnet.model", "simulate"): {"twitchnet.simulate"},  # model.simulate(n)
    ("twitchnet.model", "_repr_html_"): {"twitchnet.present.display"},  # Jupyter
    ("twitchnet.results", "next_questions"): {"twitchnet.explain.questions"},  # d.next_questions()
    ("twitchnet.results", "next_tests"): {"twitchnet.explain.questions", "twitchnet.explain.workup"},  # d.next_tests()
    ("twitchnet.results", "uncertainty"): {"twitchnet.explain.uncertainty"},  # d.uncertainty(draws)
    ("twitchnet.results", "rests_on"): {"twitchnet.explain.uncertainty"},  # d.rests_on
    ("twitchnet.results", "__str__"): {"twitchnet.present.display"},
    ("twitchnet.results", "_repr_html_"): {"twitchnet.present.display"},
    ("twitchnet.results", "atypicality"): {"twitchnet.simulate"},  # d.atypicality(): how unusual the evidence is
    ("twitchnet.results", "groups"): {"twitchnet.engine.groups"},  # d.groups: each cause group's exact probability
    ("twitchnet.results", "build"): {"twitchnet.engine.groups"},  # d[group]: a group's counterfactual measures
    # a child's d.uncertainty() / d.atypicality(): the refusal carries the red flags (diagnose.with_red_flags)
    ("twitchnet.results", "_not_ranked"): {"twitchnet.diagnose"},
    ("twitchnet.diagnose", "_check_settings"): {"twitchnet.explain.uncertainty"},  # diagnose(uncertainty=N)
    ("twitchnet.diagnose", "_rank"): {"twitchnet.explain.uncertainty"},
    ("twitchnet.explain.workup", "__str__"): {"twitchnet.present.display"},
    ("twitchnet.explain.workup", "_repr_html_"): {"twitchnet.present.display"},
}


def _modules():
    out = {}
    for path in SRC.rglob("*.py"):
        parts = path.relative_to(SRC.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        out[name] = path
    return out


MODULES = _modules()


def _layer(name):
    best = max((p for p in LAYERS if name == p or name.startswith(p + ".")), key=len)
    return LAYERS[best]


def _type_checking_block(node):
    """``if TYPE_CHECKING:`` (or ``typing.TYPE_CHECKING``): imports for annotations only, never run."""
    if not isinstance(node, ast.If):
        return False
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _imports(name, path):
    """(imported module, enclosing function or None) for every import of a twitchnet module that
    runs (imports under ``if TYPE_CHECKING:`` name types for annotations and never run: mypy checks
    them).
    """
    tree = ast.parse(path.read_text())
    found = []

    def visit(node, func):
        for child in ast.iter_child_nodes(node):
            if _type_checking_block(child):
                continue
            f = child.name if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)) else func
            targets = []
            if isinstance(child, ast.ImportFrom) and child.module and child.module.startswith("twitchnet"):
                for a in child.names:
                    full = f"{child.module}.{a.name}"
                    targets.append(full if full in MODULES else child.module)
            elif isinstance(child, ast.Import):
                targets = [a.name for a in child.names if a.name.startswith("twitchnet")]
            for t in targets:
                if t in MODULES and t != name and not name.startswith(t + "."):
                    found.append((t, func))
            visit(child, f)

    visit(tree, None)
    return found


EDGES = {name: _imports(name, path) for name, path in MODULES.items()}


def test_every_module_has_a_layer():
    assert len(MODULES) > 30
    for name in MODULES:
        _layer(name)  # raises for a module no layer claims


def test_the_design_layers_are_subpackages():
    for pkg in ("kb", "model", "engine", "explain", "redflags", "present"):
        assert (SRC / pkg / "__init__.py").is_file(), pkg


@pytest.mark.parametrize("name", sorted(MODULES))
def test_module_level_imports_go_down_the_layers(name):
    for target, func in EDGES[name]:
        if func is None:
            assert _layer(target) <= _layer(name), f"{name} (layer {_layer(name)}) imports {target} (layer {_layer(target)})"


def test_module_level_imports_have_no_cycle():
    graph = {n: {t for t, f in EDGES[n] if f is None} for n in MODULES}
    state = {}

    def walk(n, path):
        state[n] = "open"
        for t in graph[n]:
            assert state.get(t) != "open", " -> ".join(path + [t])
            if t not in state:
                walk(t, path + [t])
        state[n] = "done"

    for n in graph:
        if n not in state:
            walk(n, [n])


def test_deferred_upward_imports_are_only_the_listed_conveniences():
    upward = sorted(
        (name, func, target) for name in MODULES for target, func in EDGES[name]
        if func is not None and _layer(target) > _layer(name) and target not in CONVENIENCES.get((name, func), ())
    )
    assert not upward, "deferred imports from a higher layer: " + "; ".join(f"{n}.{f} -> {t}" for n, f, t in upward)
    # and the list holds nothing that is not needed
    used = {(name, func) for name in MODULES for target, func in EDGES[name] if func is not None and _layer(target) > _layer(name)}
    assert set(CONVENIENCES) == used, set(CONVENIENCES) ^ used


def test_the_engine_package_and_the_command_line_path_import_no_numpy():
    """The engine interface is numpy-free, so the command line starts fast (see test_engine)."""
    for target, func in EDGES["twitchnet.engine"]:
        assert func is not None or target in ("twitchnet.limits", "twitchnet._validation", "twitchnet.errors", "twitchnet._memo")
    text = (SRC / "engine" / "__init__.py").read_text()
    assert "import numpy" not in text.split('"""', 2)[2].split("def ")[0]
