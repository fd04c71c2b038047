"""Shared fixtures and the hypothesis profiles.

Profiles: ``dev`` (default, quick), ``ci`` (no deadline, print_blob=True so any failure can be
replayed with ``@reproduce_failure``, more examples). CI sets ``CI=true``, which selects ``ci``;
``HYPOTHESIS_PROFILE`` overrides either.
"""

import os
import tempfile

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile("dev", max_examples=40, deadline=None, print_blob=True)
settings.register_profile(
    "ci",
    max_examples=150,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
# The fuzz tests run this many examples in CI (FUZZ_EXAMPLES overrides; dev runs a few hundred).
FUZZ_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES") or (10_000 if os.environ.get("CI") else 300))
# The default knowledge base's cache (twitchnet.kb.loader) goes to a private folder, not ~/.cache.
os.environ.setdefault("TWITCHNET_CACHE_DIR", tempfile.mkdtemp(prefix="twitchnet-cache-"))
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev"))


@pytest.fixture(scope="session")
def model():
    import twitchnet

    return twitchnet.load_model()


@pytest.fixture(scope="session")
def ve(model):
    from pgmpy.inference import VariableElimination

    return VariableElimination(model.to_pgmpy())
