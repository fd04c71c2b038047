"""Every plot renders to a non-empty PNG and shows what the result holds."""

import pytest

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")
import matplotlib.image as mpimg  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402

import twitchnet  # noqa: E402
from twitchnet.present.plot import plot_contributions, plot_network, plot_posteriors  # noqa: E402

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
    assert "cold_pale_leg" not in texts  # red flags that are not findings are not nodes
    assert "duration" in texts and "duration__weeks" not in texts  # a category finding is one node
    _png(axes[0], tmp_path, "network")


def test_axes_are_reused():
    fig, ax = plt.subplots()
    assert plot_posteriors(twitchnet.diagnose({}), ax=ax) is ax
    plt.close(fig)


def test_posteriors_show_the_90_percent_interval_when_drawn(tmp_path):
    from twitchnet.present.plot import plot_posteriors as plot

    d = twitchnet.diagnose({k: v for k, v in EV.items() if k != "trouble_walking"}, uncertainty=100, seed=1)
    ax = plot(d)
    bars = [c for c in ax.containers if c.__class__.__name__ == "ErrorbarContainer"]
    assert len(bars) == 1
    segments = bars[0].lines[2][0].get_segments()  # one horizontal segment per cause, bottom to top
    for seg, r in zip(segments, d.ranking[::-1]):
        cu = d.intervals[r.cause]
        assert seg[0][0] == pytest.approx(cu.low) and seg[1][0] == pytest.approx(cu.high)
    assert "90% interval" in ax.get_legend().get_texts()[-1].get_text()
    _png(ax, tmp_path, "posteriors_intervals")
    plain = plot_posteriors(twitchnet.diagnose(EV))
    assert not [c for c in plain.containers if c.__class__.__name__ == "ErrorbarContainer"]


def test_tornado_shows_what_the_answer_rests_on(tmp_path):
    from twitchnet.present.plot import plot_rests_on

    d = twitchnet.diagnose({k: v for k, v in EV.items() if k != "trouble_walking"})
    rests = d.rests_on(6)
    ax = plot_rests_on(d, 6)
    lows, highs = ax.containers[0], ax.containers[1]
    assert len(lows) == len(highs) == 6
    for bar_lo, bar_hi, r in zip(lows, highs, rests[::-1]):  # the largest effect at the top
        assert bar_lo.get_width() == pytest.approx(r.derivative * (r.low - r.value))
        assert bar_hi.get_width() == pytest.approx(r.derivative * (r.high - r.value))
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels[-1].startswith(rests[0].where) and ("judgement" if rests[0].judgement else rests[0].source) in labels[-1]
    assert rests[0].cause in ax.get_title()
    _png(ax, tmp_path, "tornado")


# ---------------------------------------------------------------- issue 24: pictures of an evaluation and a fit
@pytest.fixture(scope="module")
def evaluation():
    return twitchnet.evaluate(twitchnet.load_vignettes()[:40], baselines=False, progress=False)


def test_calibration_draws_each_tiers_reliability_table(evaluation, tmp_path):
    from twitchnet.present.plot import plot_calibration

    ax = plot_calibration(evaluation)
    lines = {ln.get_label(): ln for ln in ax.get_lines()}
    assert "perfect calibration" in lines
    for tier in ("history", "workup"):
        line = next(ln for label, ln in lines.items() if label.startswith(f"{tier} tier"))
        table = evaluation.reliability(tier=tier)
        table = table[table["count"] > 0]
        assert list(line.get_xdata()) == pytest.approx(list(table["mean_predicted"]))
        assert list(line.get_ydata()) == pytest.approx(list(table["observed"]))
        brier = evaluation.tiers[tier]["network"]["brier"]
        assert f"Brier {brier:.3f}" in line.get_label()
    assert "40 vignettes" in ax.get_title()
    _png(ax, tmp_path, "calibration")


def test_confusion_cells_are_the_counts_truth_by_row(evaluation, tmp_path):
    from twitchnet.present.plot import plot_confusion

    ax = plot_confusion(evaluation)
    table = evaluation.confusion()
    shown = ax.get_images()[0].get_array()
    rows = [t.get_text() for t in ax.get_yticklabels()]
    cols = [t.get_text() for t in ax.get_xticklabels()]
    assert rows == cols  # one order: the hits lie on the diagonal
    for truth in table.index:
        for top in table.columns:
            assert shown[rows.index(truth), cols.index(top)] == table.loc[truth, top]
    assert shown.sum() == table.to_numpy().sum() == 40
    hits = sum(table.loc[c, c] for c in table.index if c in table.columns)
    assert ax.get_title().endswith(f"{hits} of 40 ranked the true cause first")
    assert sum(int(t.get_text()) for t in ax.texts) == 40
    _png(ax, tmp_path, "confusion")


def test_plot_fit_shows_the_history_and_the_numbers_that_moved(tmp_path):
    import warnings

    from learn.helpers import _widen

    from twitchnet.present.plot import plot_fit

    small = _widen(twitchnet.synthetic.network(causes=3, findings=4, parents_per_finding=(1, 2), seed=0))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", twitchnet.errors.FitWarning)
        fitted = twitchnet.fit(small.simulate(300, seed=1, causes=True), small, max_iter=20, progress=False)
    hist_ax, moved_ax = plot_fit(fitted, k=5)
    line = hist_ax.get_lines()[0]
    assert list(line.get_ydata()) == pytest.approx(list(fitted.history))
    assert list(line.get_xdata()) == list(range(1, fitted.iterations + 1))
    top = fitted.changes().head(5)
    labels = [t.get_text() for t in moved_ax.get_yticklabels()][::-1]  # the largest move at the top
    assert [label.split(":")[0] for label in labels] == [w.split(":")[0] for w in top.index]
    assert all(w in label for w, label in zip(top.index, labels))
    filled = [ln for ln in moved_ax.get_lines() if ln.get_markerfacecolor() != "white"][::-1]
    expect = (top["new"] - top["low"]) / (top["high"] - top["low"])
    assert [ln.get_xdata()[0] for ln in filled] == pytest.approx(list(expect))
    _png(moved_ax, tmp_path, "fit")
