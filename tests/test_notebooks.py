"""Every notebook in notebooks/ runs top to bottom without error (and is committed without outputs)."""

from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")

NOTEBOOKS = sorted((Path(__file__).parents[1] / "notebooks").glob("*.ipynb"))


def test_there_are_notebooks():
    assert len(NOTEBOOKS) >= 4


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_runs(path):
    book = nbformat.read(path, as_version=4)
    assert all(not c.get("outputs") for c in book.cells if c.cell_type == "code"), "commit notebooks without outputs"
    client = nbclient.NotebookClient(book, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}})
    client.execute()
    errors = [o for c in book.cells if c.cell_type == "code" for o in c.outputs if o.get("output_type") == "error"]
    assert not errors
    # nor warnings about the notebook's own calls (a deprecated call shows its FutureWarning to every
    # reader); warnings a library raises about itself on import name its own file, in site-packages
    stderr = "".join(o.get("text", "") for c in book.cells if c.cell_type == "code" for o in c.outputs if o.get("name") == "stderr")
    warned = [line for line in stderr.splitlines() if "Warning:" in line and "site-packages" not in line.split("Warning:")[0]]
    assert not warned, warned
