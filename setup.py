"""Build the optional C kernel (twitchnet._kernel); everything else is in pyproject.toml.

The extension is optional: without a C compiler the build goes on without it and twitchnet runs
the same exact engine in numpy (twitchnet.engine), only slower.
"""

from setuptools import Extension, setup

setup(
    ext_modules=[
        Extension(
            "twitchnet._kernel",
            ["src/twitchnet/_kernel.c"],
            optional=True,
            extra_compile_args=["-O3", "-std=c99"],
        )
    ]
)
