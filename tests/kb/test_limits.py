"""Issue 13 item 13: knowledge bases that loaded, then failed. Every limit of twitchnet.limits is
checked at load, from sizes, before anything large is allocated; what loads, every engine runs."""

import math
import subprocess
import sys
import tracemalloc

import pytest

import twitchnet
from twitchnet import limits
from twitchnet.errors import KnowledgeBaseError
from twitchnet.kb import load_knowledge_base, loader

from .tiny import write_kb


def _refused(folder, *pieces):
    with pytest.raises(KnowledgeBaseError) as info:
        load_knowledge_base(folder)
    for piece in pieces:
        assert piece in str(info.value), str(info.value)
    return str(info.value)


def test_the_kernel_is_built_to_the_loaders_limits():
    from twitchnet.engine import kernel as _fastpath

    if _fastpath._kernel is None:
        pytest.skip("C kernel not built")
    k = _fastpath._kernel
    assert (k.MAXC, k.MAXF, k.TINY) == (limits.MAX_CAUSES, limits.MAX_FINDINGS, limits.SAFE_FLOOR)
    from twitchnet.kb import reading  # the loader's file guards

    assert loader.MAX_CELLS is limits.MAX_CELLS and reading.MAX_FILE_BYTES is limits.MAX_FILE_BYTES


def test_the_most_findings_load_and_diagnose_one_more_is_refused(tmp_path):
    n = limits.MAX_FINDINGS
    model = twitchnet.load_model(write_kb(tmp_path / "ok", findings=n))
    last = model.finding_ids[-1]
    d = model.diagnose({last: True, "f0": False})  # the kernel's encoder (the bare ValueError before)
    assert len(model.finding_ids) == n and d.ranking and not d.urgent
    assert model.diagnose({"f0": True}).urgent
    # one more than the kernel holds: loads and runs the numpy path of the same engine (issue 15)
    more = twitchnet.load_model(write_kb(tmp_path / "more", findings=n + 1))
    from twitchnet.engine.kernel import KERNEL

    assert not KERNEL.supports(more) and twitchnet.engine.get("enumeration", more).name == "reference"
    d2 = more.diagnose({more.finding_ids[-1]: True, "f0": False}, engine="enumeration")
    q2 = more.diagnose({more.finding_ids[-1]: True, "f0": False}, engine="quickscore")
    assert d2.engine == "reference" and q2.engine == "quickscore"
    assert all(abs(q2[r.cause].probability - r.probability) < 1e-9 for r in d2.ranking)


def test_more_findings_than_the_model_limit_are_refused(tmp_path, monkeypatch):
    n = limits.MAX_FINDINGS
    monkeypatch.setattr(limits, "MAX_MODEL_FINDINGS", n)  # 20000 in earnest; lowered to keep the file small
    _refused(write_kb(tmp_path / "more", findings=n + 1), "findings.toml", f"at most {n} findings", f"{n + 1} findings")


def test_many_private_factors_are_refused_from_their_sizes(tmp_path):
    """Twelve private yes/no factors needed about 24 GiB at load; refused before any table."""
    tracemalloc.start()
    msg = _refused(write_kb(tmp_path / "kb", private=12), "causes.toml: c0.effects", "observation patterns", "12 private factors")
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 20 * 2**20, peak
    assert str(3**12) in msg


def test_a_factor_with_too_many_states_is_refused(tmp_path):
    n = limits.MAX_STATES
    assert twitchnet.load_model(write_kb(tmp_path / "ok", shared_states=n)).diagnose({"shared": "s3", "f1": True}).ranking
    _refused(write_kb(tmp_path / "kb", shared_states=2048), "risk_factors.toml: shared.states", f"at most {n} states", "2048 states")


def test_a_network_whose_tables_are_too_large_is_refused(tmp_path):
    """Sixteen causes are allowed, and 256 findings, but not both: 256 finding tables over 2**16 states."""
    msg = _refused(write_kb(tmp_path / "kb", causes=limits.MAX_CAUSES, findings=limits.MAX_FINDINGS), "causes.toml", "MiB")
    assert f"at most {limits.MAX_MODEL_BYTES // 2**20} MiB" in msg


def test_many_shared_factors_are_refused_by_the_size_of_their_tables(tmp_path):
    """Ten shared yes/no factors: 1,024 contexts x 4 cause states is within MAX_CELLS, but the
    context's observation patterns (3**10) times its states need about 1 GiB."""
    _refused(write_kb(tmp_path / "kb", shared_binary=10), "causes.toml", "MiB")


@pytest.mark.parametrize(
    "shape",
    [
        {"causes": 12, "findings": 200, "shared_states": 16},
        {"causes": 2, "private": 7},
        {"causes": 4, "findings": 10, "private": 7, "shared_states": 8},
        {"causes": 3, "private": 4, "shared_states": 64},
        {"causes": 2, "shared_binary": 8},
    ],
    ids=["12 causes x 200 findings", "7 private factors", "private and shared", "64 shared states", "8 shared yes/no factors"],
)
def test_the_size_estimate_bounds_what_compiling_allocates(tmp_path, shape):
    kb = load_knowledge_base(write_kb(tmp_path / "kb", **shape))
    rfs, causes = {r.id: r for r in kb.risk_factors}, {c.id: c for c in kb.causes}
    seen = []
    real = loader._footprint
    loader._footprint = lambda *a: seen.append(real(*a)) or seen[-1]
    try:
        loader._check_size(rfs, causes, len(kb.findings))
    finally:
        loader._footprint = real
    tracemalloc.start()
    model = twitchnet.DiagnosticModel(kb)
    from twitchnet.engine.kernel import Plan

    Plan(model.arrays)  # build every table
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak <= seen[0] + 2 * 2**20, (peak, seen[0])


@pytest.mark.parametrize("ratio, got", [("1e-308", "1e-308"), ("1e308", "1e+308"), (str(10**400), "401 digits")])
def test_extreme_odds_ratios_are_refused_not_overflowing(tmp_path, ratio, got):
    _refused(write_kb(tmp_path / "kb", private=1, odds_ratio=ratio), "causes.toml: c0.effects.p0", got)


def test_many_large_odds_ratios_do_not_overflow(tmp_path):
    """Forty effects of the largest odds ratio: a logit of about 550, still a probability."""
    model = twitchnet.load_model(write_kb(tmp_path / "kb", private=7, odds_ratio=repr(limits.MAX_ODDS_RATIO)))
    z = model._cause_logit("c0", {f"p{i}": "True" for i in range(7)})
    assert z > 90 and model._cause_pair("c0", {f"p{i}": "True" for i in range(7)})[0] == 1.0
    for big in (800.0, -800.0):
        model_pair = type(model)._cause_pair
        fake = type("M", (), {"_cause_logit": lambda self, c, a, z=big: z})()
        p, q = model_pair(fake, "c0", {})
        assert math.isfinite(p) and math.isfinite(q) and p + q == 1.0


def test_a_category_prior_on_one_line_loads(tmp_path):
    """Its numbers' dots are not dotted keys (they were counted as such)."""
    folder = write_kb(tmp_path / "kb", shared_states=40, prior_one_line=True)
    line = next(s for s in (folder / "risk_factors.toml").read_text().splitlines() if s.startswith("prior = ["))
    assert line.count(".") > limits.MAX_DOTS_PER_LINE
    assert len(load_knowledge_base(folder).risk_factors[0].prior) == 40


@pytest.mark.parametrize("key", ["a.b" * 40, "a1.2a1" * 40, "1.2.3" * 40, "1.5 . " * 40 + "x"])
def test_deep_dotted_keys_are_still_refused(tmp_path, key):
    folder = write_kb(tmp_path / "kb")
    (folder / "model.toml").write_text(f"{key} = 1\n" + (folder / "model.toml").read_text())
    _refused(folder, "model.toml: line 1", "dots outside strings")


def test_a_huge_sparse_file_is_refused_without_reading_it(tmp_path):
    """A 20 GB sparse file: at most the limit plus one byte is read (it gave MemoryError)."""
    folder = write_kb(tmp_path / "kb")
    with open(folder / "sources.toml", "r+b") as fh:
        fh.truncate(20 * 10**9)
    code = (
        "import resource, sys; resource.setrlimit(resource.RLIMIT_AS, (2 * 2**30, 2 * 2**30))\n"
        "from twitchnet.kb import load_knowledge_base\n"
        "from twitchnet.errors import KnowledgeBaseError\n"
        "try:\n    load_knowledge_base(sys.argv[1])\nexcept KnowledgeBaseError as e:\n    print(e)\n"
    )
    out = subprocess.run([sys.executable, "-c", code, str(folder)], capture_output=True, text=True, timeout=120, check=False)
    assert out.returncode == 0, out.stderr[-1500:]
    assert "sources.toml" in out.stdout and f"at most {limits.MAX_FILE_BYTES} bytes" in out.stdout


def test_a_network_built_in_memory_past_the_kernels_limits_runs_in_numpy(tmp_path):
    """The loader refuses such files; records built in memory skip the C kernel instead of raising."""
    from dataclasses import replace

    kb = load_knowledge_base(write_kb(tmp_path / "kb", findings=3))
    extra = tuple(replace(kb.findings[1], id=f"g{i}") for i in range(limits.MAX_FINDINGS))
    big = twitchnet.DiagnosticModel(replace(kb, findings=kb.findings + extra, location="memory"))
    small = twitchnet.DiagnosticModel(kb)
    from twitchnet.engine.kernel import KERNEL

    assert not KERNEL.supports(big)
    d = big.diagnose({"g7": True, "f0": True})
    assert d.engine == "reference"
    assert d.urgent and 0.0 < d["c1"].probability < 1.0
    # g7 is a copy of f1: the same evidence through the kernel on the small network agrees
    assert abs(d["c1"].probability - small.diagnose({"f1": True, "f0": True})["c1"].probability) <= 1e-9
