"""Draw the README pictures: docs/images/network.png and docs/images/diagnosis.png.

Run: python tools/make_readme_images.py
"""

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

import twitchnet  # noqa: E402
from twitchnet.present.plot import plot_contributions, plot_network, plot_posteriors  # noqa: E402

OUT = Path(__file__).resolve().parents[1] / "docs" / "images"
EVIDENCE = {"age": 68, "sex": "male", "tingling": True, "burning_pain": True, "stocking_distribution": True, "diabetes": True, "twitching": False}

if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    d = twitchnet.diagnose(EVIDENCE)
    ax = plot_network(d)
    ax.figure.savefig(OUT / "network.png", dpi=90, bbox_inches="tight")
    plt.close(ax.figure)
    fig, axes = plt.subplots(1, 2, figsize=(14, 4.5))
    plot_posteriors(d, ax=axes[0])
    plot_contributions(d, "neuropathy", ax=axes[1])
    fig.suptitle("twitchnet.diagnose(" + ", ".join(f"{k}={v!r}" for k, v in EVIDENCE.items()) + ")", fontsize=9)
    fig.tight_layout()
    fig.savefig(OUT / "diagnosis.png", dpi=90, bbox_inches="tight")
    print("wrote", OUT / "network.png", OUT / "diagnosis.png")
