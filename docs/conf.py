"""Sphinx configuration of the twitchnet documentation (``sphinx-build -W -b html docs docs/_build/html``)."""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "_ext"))
os.environ.setdefault("MPLBACKEND", "Agg")

import twitchnet  # noqa: E402

project = "twitchnet"
author = "the twitchnet authors"
copyright = "the twitchnet authors, MIT licence"
release = version = twitchnet.__version__

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "numpydoc",
    "myst_parser",
    "twitchnet_run",
]
source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
exclude_patterns = ["_build"]
myst_enable_extensions = ["colon_fence"]
myst_heading_anchors = 3
autosummary_generate = True
autodoc_default_options = {"members": True}
numpydoc_show_class_members = False
numpydoc_validation_checks = set()
numpydoc_xref_param_type = False
html_theme = "alabaster"
html_static_path = []
nitpicky = False
# The package's docstrings cross-reference private helpers and pandas; an unresolved Python
# reference is a missing link, not a wrong page.
suppress_warnings = ["ref.python"]
