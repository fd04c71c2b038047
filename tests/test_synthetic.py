"""twitchnet.synthetic: random models of any size, validated by the loader's rules."""

import pytest

from twitchnet import synthetic
from twitchnet.errors import EngineLimitError, KnowledgeBaseError
from twitchnet.kb.loader import knowledge_base_from_data


def test_same_seed_same_model_and_the_requested_shape():
    a = synthetic.network(causes=30, findings=50, parents_per_finding=(2, 5), seed=7)
    b = synthetic.network(causes=30, findings=50, parents_per_finding=(2, 5), seed=7)
    c = synthetic.network(causes=30, findings=50, parents_per_finding=(2, 5), seed=8)
    assert a.content_hash == b.content_hash != c.content_hash
    assert (len(a.cause_ids), len(a.finding_ids)) == (30, 50)
    assert all(2 <= len(f.links) <= 5 and len({x.cause for x in f.links}) == len(f.links) for f in a.kb.findings)
    assert {"age", "sex"} <= set(a.risk_factor_ids)
    assert a.n_contexts == 8  # age (4 bands) x sex (2) feed every cause
    assert all(n.source == "judgement" and "synthetic" in n.note for _, n in a.kb.numbers())


def test_every_number_passes_the_loader_and_a_corrupt_table_is_refused_with_the_loader_message():
    data = synthetic.knowledge_base_data(causes=5, findings=6, seed=1)
    kb = knowledge_base_from_data(data)
    assert len(kb.causes) == 5 and kb.content_hash == knowledge_base_from_data(data).content_hash
    first = next(iter(data["findings.toml"]))
    cause = next(iter(data["findings.toml"][first]["causes"]))
    data["findings.toml"][first]["causes"][cause]["value"] = 1.5
    with pytest.raises(KnowledgeBaseError, match=rf"findings.toml: {first}.causes.{cause}.value"):
        knowledge_base_from_data(data)
    del data["aliases.toml"]
    with pytest.raises(KnowledgeBaseError, match="aliases.toml: expected a table for every knowledge-base file"):
        knowledge_base_from_data(data)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"causes": 0}, "causes: expected an integer of at least 1, got 0"),
        ({"findings": "many"}, "findings: expected an integer of at least 1"),
        ({"causes": 3, "parents_per_finding": (1, 4)}, r"parents_per_finding: expected an integer or a pair \(low, high\) of integers with 1 <= low <= high <= 3"),
        ({"link": (0.5, 1.0)}, r"link: expected a pair \(low, high\) with 0 < low <= high < 1"),
        ({"private_factors": 2}, "private_factors: expected a share from 0 to 1"),
    ],
)
def test_bad_arguments_name_the_argument(kwargs, message):
    with pytest.raises(KnowledgeBaseError, match=message):
        synthetic.network(**kwargs)


def test_a_qmr_sized_network_builds_without_any_joint_state_table():
    m = synthetic.network(causes=600, findings=4000, parents_per_finding=(1, 20), seed=0)
    assert not m.enumerable
    d = m.diagnose({"age": 60, "sex": "male", m.finding_ids[0]: True, m.finding_ids[1]: False})
    assert d.engine == "quickscore" and len(d.ranking) == 600
    from twitchnet import _memo

    assert "arrays" not in _memo.cached(m) and "quickscore" in _memo.cached(m)  # no joint-state table was built
    with pytest.raises(EngineLimitError):
        m.arrays  # noqa: B018


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [  # hostile L3: bare ValueError / TypeError
        ({"seed": -1}, "seed: expected a whole number >= 0 or None, got -1"),
        ({"seed": 1.5}, "seed: expected a whole number >= 0 or None"),
        ({"link": (0.1, 0.2, 0.3)}, r"link: expected a pair \(low, high\)"),
        ({"link": "ab"}, r"link: expected a pair \(low, high\)"),
        ({"leak": (0.1, float("nan"))}, r"leak: expected a pair \(low, high\)"),
        ({"prior": ("0.1", 0.2)}, r"prior: expected a pair \(low, high\)"),
    ],
)
def test_hostile_arguments_are_refused_in_the_one_error_shape(kwargs, message):
    with pytest.raises(KnowledgeBaseError, match=message):
        synthetic.network(**kwargs)


def test_sizes_beyond_the_limits_are_refused_before_any_table_is_drawn(monkeypatch):
    # hostile L9: synthetic.network(5, 10**9) drew its tables, then ran out of memory
    with pytest.raises(KnowledgeBaseError, match=r"^findings: expected at most 20000 \(twitchnet.limits.MAX_MODEL_FINDINGS\)"):
        synthetic.network(5, 10**9)
    with pytest.raises(KnowledgeBaseError, match=r"^causes: expected at most 5000"):
        synthetic.network(5001, 10)
    drawn = []
    monkeypatch.setattr(synthetic, "_log_uniform", lambda *a, **k: drawn.append(a) or 0.01)
    # the loader's footprint (MAX_MODEL_BYTES), from the sizes: before the findings' tables
    with pytest.raises(KnowledgeBaseError, match=r"^causes, findings: expected a network whose tables take at most 256 MiB"):
        synthetic.network(5000, 20000)
    assert len(drawn) == 1  # the baselines only


def test_with_ranges_widens_every_free_number_and_keeps_the_values():
    """Ranges around each number (points before), the same values and so the same posteriors, and
    uncertainty intervals that are no longer points."""
    base = synthetic.network(causes=6, findings=12, seed=1)
    wide = synthetic.with_ranges(base)
    pairs = list(zip(base.kb.numbers(), wide.kb.numbers()))
    assert all(a.value == b.value for (_, a), (_, b) in pairs)
    free = [(w, b) for (w, a), (_, b) in pairs if not a.structural and not w.startswith("model.toml")]
    assert free and all(b.low < b.value < b.high for _, b in free)
    ev = {"age": 50, "sex": "female", "f01": True}
    d0, d1 = base.diagnose(ev), wide.diagnose(ev)
    assert [r.probability for r in d0.ranking] == [r.probability for r in d1.ranking]
    u = d1.uncertainty(draws=200, seed=0)
    assert max(c.high - c.low for c in u.causes) > 0.01
