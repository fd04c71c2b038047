"""Build the optional C kernel (twitchnet.engine._kernel); everything else is in pyproject.toml.

The extension is optional: without a C compiler the build goes on without it and twitchnet runs
the same exact engine in numpy (twitchnet.engine.tables), only slower.
"""

import ast
from pathlib import Path

from setuptools import Extension, setup


def _limits():
    """MAX_CAUSES, MAX_FINDINGS and SAFE_FLOOR of src/twitchnet/limits.py (read, not imported): the
    kernel's MAXC, MAXF and TINY are the loader's and the engines' numbers."""
    tree = ast.parse((Path(__file__).parent / "src" / "twitchnet" / "limits.py").read_text())
    wanted = ("MAX_CAUSES", "MAX_FINDINGS", "SAFE_FLOOR")
    values = {t.id: ast.literal_eval(n.value) for n in tree.body if isinstance(n, ast.Assign) for t in n.targets if t.id in wanted}
    return [("MAXC", str(values["MAX_CAUSES"])), ("MAXF", str(values["MAX_FINDINGS"])), ("TINY", repr(float(values["SAFE_FLOOR"])))]


setup(
    ext_modules=[
        Extension(
            "twitchnet.engine._kernel",
            ["src/twitchnet/engine/_kernel.c"],
            optional=True,
            define_macros=_limits(),
            extra_compile_args=["-O3", "-std=c99"],
        )
    ]
)
