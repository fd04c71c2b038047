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
    assert "sudden_onset" not in texts  # red flags that are not findings are not nodes
    _png(axes[0], tmp_path, "network")


def test_axes_are_reused():
    fig, ax = plt.subplots()
    assert plot_posteriors(twitchnet.diagnose({}), ax=ax) is ax
    plt.close(fig)
