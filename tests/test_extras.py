"""A missing optional dependency names the pip command that installs it (one helper, one error)."""

import sys

import pandas as pd
import pytest

import twitchnet
from twitchnet.errors import MissingExtraError, TwitchnetError


def _missing(monkeypatch, *modules):
    for m in modules:  # None in sys.modules makes `import m` raise ImportError
        monkeypatch.setitem(sys.modules, m, None)


def test_plots_without_matplotlib_say_pip_install_plot(monkeypatch, model):
    from twitchnet.present.plot import plot_network, plot_posteriors

    d = model.diagnose({"tingling": True})
    _missing(monkeypatch, "matplotlib", "matplotlib.pyplot", "matplotlib.cm")
    with pytest.raises(MissingExtraError, match=r"matplotlib, which is not installed: pip install 'twitchnet\[plot\]'"):
        plot_posteriors(d)
    with pytest.raises(MissingExtraError, match=r"twitchnet\[plot\]"):
        plot_network(d)


def test_network_plot_without_networkx_says_pip_install_plot(monkeypatch, model):
    from twitchnet.present.plot import plot_network

    _missing(monkeypatch, "networkx")
    with pytest.raises(MissingExtraError, match=r"networkx, which is not installed: pip install 'twitchnet\[plot\]'"):
        plot_network(model)


def test_widget_without_ipywidgets_says_pip_install_widget(monkeypatch):
    from twitchnet.present.widget import InterviewWidget

    _missing(monkeypatch, "ipywidgets")
    with pytest.raises(MissingExtraError, match=r"ipywidgets, which is not installed: pip install 'twitchnet\[widget\]'"):
        InterviewWidget()


def test_a_progress_bar_asked_for_without_tqdm_says_pip_install_frame(monkeypatch, model):
    _missing(monkeypatch, "tqdm", "tqdm.auto")
    df = pd.DataFrame({"tingling": [True, False]})
    with pytest.raises(MissingExtraError, match=r"tqdm, which is not installed: pip install 'twitchnet\[frame\]'"):
        twitchnet.diagnose_frame(df, model, progress=True)
    assert len(twitchnet.diagnose_frame(df, model)) == 2  # not asked for: no bar, no error


def test_the_error_is_an_import_error_and_a_twitchnet_error():
    assert issubclass(MissingExtraError, ImportError) and issubclass(MissingExtraError, TwitchnetError)
