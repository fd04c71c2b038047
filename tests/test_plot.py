"""Every plot renders to a non-empty PNG and shows what the result holds."""

import pytest

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")
import matplotlib.image as mpimg  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402

import twitchnet  # noqa: E402
from twitchnet.plot import plot_contributions, plot_network, plot_posteriors  # noqa: E402

EV = {"age": 68, "sex": "male", "tingling": True, "burning_pain": True, "stocking_distribution": True, "twitching": False, "trouble_walking": True}


def _png(ax, tmp_path, name):
    path = tmp_path / f"{name}.png"
    ax.figure.savefig(path, dpi=60)
    plt.close(ax.figure)
    img = mpimg.imread(path)
    assert path.stat().st_size > 5000
    assert img.reshape(-1, img.shape[-1]).std(axis=0).max() > 0.05  # not one flat colour
    return img


def test_posteriors(tmp_path):
    d = twitchnet.diagnose(EV)
    ax = plot_posteriors(d)
    assert len(ax.patches) == 2 * len(d.ranking)
    widths = sorted(p.get_width() for p in ax.patches)
    assert max(widths) == pytest.approx(d.ranking[0].probability)
    assert "URGENT" in ax.get_title()
    _png(ax, tmp_path, "posteriors")


def test_contributions_waterfall_adds_up(tmp_path):
    d = twitchnet.diagnose(EV)
    r = d["neuropathy"]
    ax = plot_contributions(d, "neuropathy")
    bars = ax.patches
    assert len(bars) == len(r.contributions) + 2
    steps = bars[1:-1]
    end = steps[-1].get_y() + steps[-1].get_height()
    assert abs(end - r.log_odds) <= 1e-9
    assert abs(bars[-1].get_height() - r.log_odds) <= 1e-12
    _png(ax, tmp_path, "waterfall")


def test_network_from_diagnosis_and_model(tmp_path):
    d = twitchnet.diagnose(EV)
    fig, axes = plt.subplots(1, 2, figsize=(20, 6))
    plot_network(d, ax=axes[0])
    plot_network(d.model, ax=axes[1])
    texts = [t.get_text() for t in axes[0].texts]
    assert any(t.startswith("neuropathy\n") for t in texts)
    assert "sudden_onset" not in texts  # red flags that are not findings are not nodes
    _png(axes[0], tmp_path, "network")


def test_axes_are_reused():
    fig, ax = plt.subplots()
    assert plot_posteriors(twitchnet.diagnose({}), ax=ax) is ax
    plt.close(fig)


def test_posteriors_with_uncertainty_draw_the_interval(tmp_path):
    d = twitchnet.diagnose(EV, uncertainty=200, seed=0)
    ax = plot_posteriors(d)
    assert len(ax.patches) == 2 * len(d.ranking)  # the bars are unchanged
    segments = ax.collections[0].get_segments()  # the whiskers, bottom (last cause) up
    ranking = d.ranking[::-1]
    assert len(segments) == len(ranking)
    for seg, r in zip(segments, ranking):
        cu = d.intervals[r.cause]
        assert seg[0][0] == pytest.approx(cu.low) and seg[1][0] == pytest.approx(cu.high)
    assert "90% interval" in [t.get_text() for t in ax.get_legend().get_texts()][0]
    _png(ax, tmp_path, "posteriors_interval")


def test_posteriors_without_uncertainty_draw_no_whiskers():
    ax = plot_posteriors(twitchnet.diagnose(EV))
    assert not ax.collections
    plt.close(ax.figure)


def test_rests_on_tornado(tmp_path):
    from twitchnet.plot import plot_rests_on
    from twitchnet.uncertainty import rests_on_ends

    d = twitchnet.diagnose(EV | {"diabetes": True})
    ends = rests_on_ends(d, 6)
    ax = plot_rests_on(d, k=6)
    assert len(ax.patches) == 2 * 6
    point = d.ranking[0].probability
    # each bar starts at the point posterior and ends at the posterior with the number at one end;
    # largest effect on top (rows are drawn bottom up)
    for j, (r, at_low, at_high) in enumerate(ends[::-1]):
        lo_bar, hi_bar = ax.patches[2 * j], ax.patches[2 * j + 1]
        assert lo_bar.get_x() == pytest.approx(point) and lo_bar.get_x() + lo_bar.get_width() == pytest.approx(at_low)
        assert hi_bar.get_x() + hi_bar.get_width() == pytest.approx(at_high)
    labels = [t.get_text() for t in ax.get_yticklabels()][::-1]
    assert labels == [f"{r.where} ({'judgement' if r.judgement else r.source})" for r, _, _ in ends]
    assert any("judgement" in s for s in labels) and any("judgement" not in s for s in labels)
    _png(ax, tmp_path, "rests_on")


def test_rests_on_ends_are_the_posterior_of_a_hand_edited_knowledge_base():
    """Each end equals the diagnosis under a knowledge base with that one number moved."""
    from twitchnet.model import DiagnosticModel
    from twitchnet.uncertainty import _structure, rests_on_ends, with_numbers

    d = twitchnet.diagnose(EV)
    st = _structure(d.model)
    for r, at_low, at_high in rests_on_ends(d, 3):
        i = st.where.index(r.where)
        for x, got in ((r.low, at_low), (r.high, at_high)):
            edited = DiagnosticModel(with_numbers(d.model.kb, st.moved(i, x)))
            assert twitchnet.diagnose(EV, model=edited)[r.cause].probability == pytest.approx(got, abs=1e-12)


def test_rests_on_tornado_with_nothing_ranked():
    from twitchnet.plot import plot_rests_on

    ax = plot_rests_on(twitchnet.diagnose({"age": 12}))
    assert "Nothing ranked" in ax.get_title()
    plt.close(ax.figure)
