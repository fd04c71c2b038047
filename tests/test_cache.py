"""The cache of the packaged model: plain JSON and bytes, keyed on version, schema and data, verified
before use; a tampered or crafted file is ignored and rebuilt, and nothing in it is ever executed."""

import json
import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

import twitchnet
from twitchnet import _cache
from twitchnet.kb import loader

SRC = Path(twitchnet.__file__).resolve().parent

CASE = "{'trouble_walking': True, 'tingling': True, 'age': 50}"
RUN = (
    "import sys, twitchnet; d = twitchnet.diagnose(" + CASE + "); "
    "print(d.urgent, d.triage, ','.join(r.id for r in d.red_flags), 'numpy' in sys.modules)"
)


def _run(cache):
    env = dict(os.environ, TWITCHNET_CACHE_DIR=str(cache))
    env.pop("TWITCHNET_NO_CACHE", None)
    out = subprocess.run([sys.executable, "-c", RUN], env=env, capture_output=True, text=True, timeout=120, check=False)
    assert out.returncode == 0, out.stderr[-2000:]
    return out.stdout.split()


def _files(cache):
    return {p.name.split("-")[0]: p for p in cache.iterdir()}


def test_cache_files_are_json_and_bytes_named_by_version_schema_and_data(tmp_path):
    first = _run(tmp_path)
    files = _files(tmp_path)
    assert sorted(files) == ["kb", "kernel"] if twitchnet.engine.kernel._kernel is not None else ["kb"]
    kb_hash = loader._digest(loader._default_folder())
    assert files["kb"].name == f"kb-{twitchnet.__version__}-s{loader.SCHEMA}-{kb_hash}.bin"
    head, _, payload = files["kb"].read_bytes().partition(b"\n")
    header = json.loads(head)
    assert header["version"] == twitchnet.__version__ and header["data_hash"] == kb_hash and header["bytes"] == len(payload)
    assert json.loads(payload)["content_hash"] == kb_hash
    second = _run(tmp_path)
    assert second[:3] == first[:3]
    if twitchnet.engine.kernel._kernel is not None:
        assert (first[3], second[3]) == ("True", "False")  # the second run needs no numpy


def test_a_cached_file_with_a_red_flag_rule_removed_is_ignored(tmp_path):
    first = _run(tmp_path)
    assert first[0] == "True" and first[1] == "urgent"
    file = _files(tmp_path)["kb"]
    head, _, payload = file.read_bytes().partition(b"\n")
    data = json.loads(payload)
    fired = set(first[2].split(","))
    data["rules"] = [r for r in data["rules"] if r[0] not in fired]  # the tampering: no rule fires
    data["red_flags"] = [f for f in data["red_flags"] if f[0] != "trouble_walking"]
    file.write_bytes(head + b"\n" + json.dumps(data).encode())
    assert _run(tmp_path)[:3] == first[:3]  # the file's hash no longer matches: rebuilt from the TOML
    assert json.loads(file.read_bytes().partition(b"\n")[2]) != data


def test_a_pickle_in_the_cache_is_never_loaded(tmp_path):
    _run(tmp_path)
    marker = tmp_path / "ran"

    class Evil:
        def __reduce__(self):
            return (os.system, (f"touch {marker}",))

    for file in _files(tmp_path).values():
        file.write_bytes(pickle.dumps(Evil()))
    assert _run(tmp_path)[0] == "True"
    assert not marker.exists()


def test_files_of_another_version_or_schema_are_not_read(tmp_path, monkeypatch):
    monkeypatch.setenv("TWITCHNET_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("TWITCHNET_NO_CACHE", raising=False)
    _cache.write("kb", 1, "ab" * 32, b"payload")
    assert _cache.read("kb", 1, "ab" * 32) == b"payload"
    assert _cache.read("kb", 2, "ab" * 32) is None
    assert _cache.read("kb", 1, "cd" * 32) is None
    with monkeypatch.context() as m:
        m.setattr(_cache, "__version__", "9.9.9")
        assert _cache.read("kb", 1, "ab" * 32) is None
    file = _cache.path("kb", 1, "ab" * 32)
    head, _, _ = file.read_bytes().partition(b"\n")
    file.write_bytes(head + b"\npaylobd")  # same length, other bytes
    assert _cache.read("kb", 1, "ab" * 32) is None
    file.write_bytes(head + b"\npayload and more")
    assert _cache.read("kb", 1, "ab" * 32) is None


def test_no_module_reads_a_pickle():
    for path in SRC.rglob("*.py"):
        text = path.read_text()
        assert "pickle.load" not in text and "pickle.Unpickler" not in text, path


@pytest.mark.parametrize("off", ["1"])
def test_switched_off_nothing_is_written(tmp_path, off):
    env = dict(os.environ, TWITCHNET_CACHE_DIR=str(tmp_path), TWITCHNET_NO_CACHE=off)
    subprocess.run([sys.executable, "-c", RUN], env=env, check=True, capture_output=True, timeout=120)
    assert not list(tmp_path.iterdir())
