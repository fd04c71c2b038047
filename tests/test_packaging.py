"""pyproject.toml: the metadata forms the build backend will keep accepting."""

import tomllib
from pathlib import Path

import pytest

PYPROJECT = Path(__file__).resolve().parent.parent / "pyproject.toml"


@pytest.fixture(scope="module")
def project():
    return tomllib.loads(PYPROJECT.read_text())


def test_license_is_an_spdx_string(project):
    """setuptools deprecates the table form (``{text = "MIT"}``): it stops working in February 2027."""
    assert project["project"]["license"] == "MIT"


def test_the_build_requirement_is_bounded_on_both_sides(project):
    (req,) = [r for r in project["build-system"]["requires"] if r.startswith("setuptools")]
    spec = req.removeprefix("setuptools").replace(" ", "").split(",")
    lower = [s for s in spec if s.startswith(">=")]
    upper = [s for s in spec if s.startswith("<")]
    assert lower and int(lower[0][2:].split(".")[0]) >= 77, req  # SPDX license strings need 77
    assert upper, req
