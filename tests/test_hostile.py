"""The hostile suite (issue 21 part 5): the paths of ``hostile-2026-12.md`` fuzzed with the
invariants of that report (red flags never lost, no bare exception, answers equal across engines,
nothing written wrongly to disk); the cases and checks are in ``tests/hostile_paths.py``.

A few examples per path here (each property's count is set in ``hostile_paths.PATHS``, the other
settings come from the profile of ``conftest.py``); ``tools/hostile.py --minutes N`` runs the same
paths for longer. Each property counts the examples that reached the code under test and asserts a
floor, so a fuzz whose cases are all refused before they get there fails instead of passing.
"""

import pytest
from hostile_paths import PATHS
from hypothesis import HealthCheck, given, settings


@pytest.mark.parametrize("path", list(PATHS))
def test_hostile_path(path):
    strategy, check, examples, floor = PATHS[path]
    seen = {"tried": 0, "reached": 0}

    @settings(max_examples=examples, suppress_health_check=list(HealthCheck))
    @given(case=strategy)
    def run(case):
        out = check(case)
        seen["tried"] += 1
        seen["reached"] += out.reached
        assert not out.problems, "\n".join(out.problems)

    run()
    assert seen["tried"] >= examples and seen["reached"] >= floor * seen["tried"], seen
