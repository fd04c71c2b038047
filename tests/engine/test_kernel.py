"""The C kernel's entry points that Python calls directly: the frame's yes/no cell reader and the
engine's plan (the engine itself is tested against the reference engine in test_engine.py)."""

import numpy as np
import pytest

from twitchnet.engine import kernel as _fastpath

pytestmark = pytest.mark.skipif(_fastpath._kernel is None, reason="C kernel not built")


def test_the_kernel_keeps_only_inner_loops():
    """No Python plumbing in C (issue 15): the encoder and the result builder are gone; the frame's
    yes/no cell reader stays because it is what keeps diagnose_frame on object columns fast
    (benchmarks/bench_inference.py, object vs typed columns)."""
    public = sorted(n for n in dir(_fastpath._kernel) if not n.startswith("_"))
    assert public == ["MAXC", "MAXF", "TINY", "batch", "explain", "make_plan", "yes_no_cells"]


def test_yes_no_cells_reads_lists_and_object_arrays_alike():
    k = _fastpath._kernel
    cells = [True, False, None, float("nan"), np.nan, True]
    want = bytes([1, 0, 255, 255, 255, 1])
    assert k.yes_no_cells(cells) == want
    arr = np.array(cells, dtype=object)
    assert k.yes_no_cells(arr) == want
    assert k.yes_no_cells(np.array([], dtype=object)) == b""
    for other in ([True, 1], [True, "yes"], [np.bool_(True)], [False, 0.0], [pd_na()]):
        assert k.yes_no_cells(other) is None and k.yes_no_cells(np.array(other + [None], dtype=object)) is None
    assert k.yes_no_cells(arr[::2]) is None  # strided: declined, not misread
    assert k.yes_no_cells(arr.reshape(2, 3)) is None
    assert k.yes_no_cells(np.array([True, False])) is None  # not an object array
    with pytest.raises(TypeError):
        k.yes_no_cells((True, False))


def pd_na():
    import pandas as pd

    return pd.NA


@pytest.mark.parametrize("value, built", [("0", True), ("false", True), ("1", False), ("yes", False)])
def test_no_kernel_takes_yes_or_no(value, built):
    """``TWITCHNET_NO_KERNEL=0`` leaves the kernel on (hostile-2026-12 L1: any value switched it off)."""
    import os
    import subprocess
    import sys

    env = dict(os.environ, TWITCHNET_NO_KERNEL=value)
    code = "from twitchnet.engine.kernel import KERNEL; print(KERNEL.built)"
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120, check=True)
    assert out.stdout.split() == [str(built)]
