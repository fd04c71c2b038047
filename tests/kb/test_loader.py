"""The packaged knowledge base is complete and cited; the loader names file, entry and problem."""

import shutil
from pathlib import Path

import pytest

import twitchnet
from twitchnet.errors import KnowledgeBaseError
from twitchnet.kb import load_knowledge_base

DEFAULT = Path(twitchnet.__file__).parent / "data" / "default"


@pytest.fixture(scope="module")
def kb():
    return load_knowledge_base()


def test_every_number_cites_a_known_source_and_sits_in_its_range(kb):
    count = 0
    for where, n in kb.numbers():
        count += 1
        assert n.source in kb.sources, where
        assert n.low <= n.value <= n.high, where
        if n.is_judgement:
            assert n.note.strip(), f"{where}: judgement needs a note"
    assert count > 150


def test_every_cause_finding_and_red_flag_of_the_vocabulary_is_present(kb):
    import re

    vocab = (Path(__file__).parents[1] / "vocabulary.md").read_text()
    ids = set(re.findall(r"^\| `([a-z0-9_]+)` \|", vocab, re.M))
    have = {c.id for c in kb.causes} | {f.id for f in kb.findings} | {r.id for r in kb.risk_factors} | set(kb.red_flags)
    have |= {g.id for g in kb.groups} | {c.id for c in kb.categories}
    assert ids <= have


def test_sources_resolve_to_citations(kb):
    for s in kb.sources.values():
        assert len(s.citation) > 20


def test_content_hash_is_stable_and_changes_with_a_number(tmp_path, kb):
    folder = tmp_path / "kb"
    shutil.copytree(DEFAULT, folder)
    assert load_knowledge_base(folder).content_hash == kb.content_hash
    p = folder / "findings.toml"
    p.write_text(p.read_text().replace("spinal = { value = 0.65,", "spinal = { value = 0.64,", 1))
    assert load_knowledge_base(folder).content_hash != kb.content_hash


def _corrupt(tmp_path, name, old, new):
    folder = tmp_path / "kb"
    shutil.copytree(DEFAULT, folder)
    p = folder / name
    text = p.read_text()
    assert old in text, old
    p.write_text(text.replace(old, new, 1))
    return folder


@pytest.mark.parametrize(
    "name, old, new, pieces",
    [
        ("findings.toml", "neuropathy = { value = 0.67,", "neuropathy = { value = 1.5,", ["findings.toml", "tingling.causes.neuropathy", "(0, 1)"]),
        ("findings.toml", 'source = "pdpn-survey"', 'source = "nowhere"', ["findings.toml", "tingling.causes.neuropathy.source", "nowhere"]),
        ("findings.toml", "[tingling.causes]\nneuropathy", "[tingling.causes]\nneuropathyy", ["findings.toml", "neuropathyy", "cause id"]),
        ("causes.toml", 'care = "clinician"', 'care = "sometimes"', ["causes.toml", "neuropathy.care", "sometimes"]),
        ("causes.toml", '"age=40-59" = { value = 2.0, low = 1.5,', '"age=40-59" = { value = 2.0, low = 2.5,', ["causes.toml", "neuropathy.effects.age=40-59", "range"]),
        ("risk_factors.toml", 'parent = "sex"', 'parent = "pregnancy"', ["risk_factors.toml", "pregnancy.parent"]),
        ("red_flags.toml", '[rules.progressive_spread]\nlevel = "urgent"\nall = ["progressive_spread"]', '[rules.progressive_spread]\nlevel = "urgent"\nall = ["progressive_spread", "sudden_onset"]', ["red_flags.toml", "flags.progressive_spread", "fires on this flag alone"]),
        ("model.toml", 'name = "twitchnet-default"', 'name = "twitchnet-default', ["model.toml", "valid TOML"]),
    ],
)
def test_corrupt_files_name_file_entry_and_problem(tmp_path, name, old, new, pieces):
    folder = _corrupt(tmp_path, name, old, new)
    with pytest.raises(KnowledgeBaseError) as info:
        load_knowledge_base(folder)
    for piece in pieces:
        assert piece in str(info.value)


def test_missing_folder(tmp_path):
    with pytest.raises(KnowledgeBaseError, match="no such folder"):
        load_knowledge_base(tmp_path / "nope")


def test_a_user_knowledge_base_loads_into_a_working_model(tmp_path):
    folder = tmp_path / "kb"
    shutil.copytree(DEFAULT, folder)
    model = twitchnet.load_model(folder)
    assert model.diagnose({"tingling": True}).ranking


def test_to_frame_lists_every_number_with_its_citation(kb):
    frame = kb.to_frame()
    assert len(frame) == sum(1 for _ in kb.numbers())
    row = frame.loc["findings.toml: tingling.causes.neuropathy"]
    assert row["value"] == 0.67 and row["source"] == "pdpn-survey" and not row["judgement"]
    assert "PMC8586277" in row["citation"]
    assert frame["judgement"].sum() == sum(n.is_judgement for _, n in kb.numbers())


def test_default_kb_cache_is_used_and_validated(tmp_path, monkeypatch):
    """The packaged KB is cached as JSON under its content hash; a bad or mismatched cache is ignored."""
    import json

    from twitchnet import _cache
    from twitchnet.kb import loader

    monkeypatch.setenv("TWITCHNET_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("TWITCHNET_NO_CACHE", raising=False)
    first = load_knowledge_base()
    files = list(tmp_path.glob("kb-*.bin"))
    assert [f.name for f in files] == [_cache.path("kb", loader.SCHEMA, first.content_hash).name]
    assert loader._cache_read(loader._default_folder()) == first
    assert load_knowledge_base() == first
    # a cache whose content claims another hash is not served, even with a matching payload hash
    data = json.loads(files[0].read_bytes().partition(b"\n")[2])
    data["content_hash"] = "0" * 64
    _cache.write("kb", loader.SCHEMA, first.content_hash, json.dumps(data).encode())
    assert loader._cache_read(loader._default_folder()) is None
    assert load_knowledge_base().content_hash == first.content_hash
    # garbage in the cache file: a normal load, which rewrites it
    files[0].write_bytes(b"not json")
    assert load_knowledge_base() == first
    assert loader._cache_read(loader._default_folder()) == first
    # switched off: nothing is read or written
    monkeypatch.setenv("TWITCHNET_NO_CACHE", "1")
    files[0].unlink()
    assert load_knowledge_base() == first
    assert not list(tmp_path.glob("kb-*"))


def test_the_cached_form_rebuilds_an_equal_knowledge_base(monkeypatch, tmp_path):
    """Against a load that never saw a cache (the fixture may come from one), so a field the JSON
    form drops (population, derive) is caught; and a load served from the cache equals it too."""
    import json

    from twitchnet.kb.plain import from_data, to_data

    monkeypatch.setenv("TWITCHNET_NO_CACHE", "1")
    fresh = load_knowledge_base()
    again = from_data(json.loads(json.dumps(to_data(fresh))))
    assert again == fresh and repr(again) == repr(fresh)
    assert again.population and any(n.derive for _, n in again.numbers())
    monkeypatch.delenv("TWITCHNET_NO_CACHE")
    monkeypatch.setenv("TWITCHNET_CACHE_DIR", str(tmp_path))
    load_knowledge_base()  # writes the cache
    assert list(tmp_path.glob("kb-*")) and load_knowledge_base() == fresh


def test_folders_given_by_path_are_never_cached(tmp_path, monkeypatch):
    from twitchnet.kb import loader

    cache = tmp_path / "cache"
    monkeypatch.setenv("TWITCHNET_CACHE_DIR", str(cache))
    load_knowledge_base(loader._default_folder())
    assert not cache.exists() or not list(cache.iterdir())


def test_interaction_effects_load_with_all_their_conditions(kb):
    neuropathy = next(c for c in kb.causes if c.id == "neuropathy")
    inter = [e for e in neuropathy.effects if e.also]
    assert [e.key for e in inter] == ["diabetes & age=70+"]
    (e,) = inter
    assert e.conditions == (("diabetes", "True"), ("age", "70+"))
    assert e.applies({"diabetes": "True", "age": "70+"})
    assert not e.applies({"diabetes": "True", "age": "60-69"})
    assert not e.applies({"diabetes": "False", "age": "70+"})
    assert "causes.toml: neuropathy.effects.diabetes & age=70+" in kb.to_frame().index


def test_interaction_keys_are_read_in_any_order_and_spacing(tmp_path):
    folder = tmp_path / "kb"
    shutil.copytree(DEFAULT, folder)
    p = folder / "causes.toml"
    p.write_text(p.read_text().replace('"diabetes & age=70+" = {', '"age=70+&diabetes" = {'))
    e = next(e for c in load_knowledge_base(folder).causes for e in c.effects if e.also)
    assert e.conditions == (("age", "70+"), ("diabetes", "True")) and e.key == "age=70+ & diabetes"


def test_the_package_works_imported_from_a_zip_file(tmp_path):
    """zipimport: the packaged knowledge base is read through importlib.resources (no C kernel)."""
    import subprocess
    import sys
    import zipfile

    archive = tmp_path / "twitchnet.zip"
    package = Path(twitchnet.__file__).parent
    with zipfile.ZipFile(archive, "w") as z:
        for f in package.rglob("*"):
            if f.is_file() and f.suffix in (".py", ".toml", ".json", ".md"):
                z.write(f, Path("twitchnet") / f.relative_to(package))
    code = (
        "import twitchnet; assert '.zip' in twitchnet.__file__, twitchnet.__file__\n"
        "d = twitchnet.diagnose({'tingling': True, 'age': 68})\n"
        "print(d.ranking[0].cause, d.provenance.content_hash)"
    )
    env = {"PYTHONPATH": str(archive), "TWITCHNET_NO_CACHE": "1", "PATH": "/usr/bin:/bin"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120, check=False)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.split()[1] == load_knowledge_base().content_hash


# ---------------------------------------------------------------------- derived numbers (issue 14)
THRESHOLD = 'routine_threshold = { value = 0.25, low = 0.1, high = 0.5, source = "judgement",'


def _with_derive(tmp_path, value, derive):
    """The default KB with the triage threshold written as ``value`` and derived by ``derive``."""
    return _corrupt(tmp_path, "model.toml", THRESHOLD, THRESHOLD.replace("value = 0.25", f"value = {value}") + f" derive = {derive},")


def test_a_derived_value_that_agrees_with_its_derivation_loads_with_its_figures(tmp_path):
    # odds 0.1 / 0.9 = 0.1111 x 3 = 0.3333; 0.3333 / 1.3333 = 0.25
    folder = _with_derive(tmp_path, 0.25, '{ method = "probability_with_odds_ratio", baseline = 0.1, odds_ratio = 3.0 }')
    n = load_knowledge_base(folder).routine_threshold
    assert n.derive == ("probability_with_odds_ratio", (("baseline", 0.1), ("odds_ratio", 3.0)))
    assert n.derived == pytest.approx(0.25)


def test_the_loader_refuses_a_written_value_that_disagrees_with_its_derivation(tmp_path):
    folder = _with_derive(tmp_path, 0.3, '{ method = "probability_with_odds_ratio", baseline = 0.1, odds_ratio = 3.0 }')
    with pytest.raises(KnowledgeBaseError) as err:
        load_knowledge_base(folder)
    msg = str(err.value)
    # file, entry, the derived and the written number
    for piece in ("model.toml", "triage.routine_threshold", "0.25", "0.3", "probability_with_odds_ratio"):
        assert piece in msg, (piece, msg)


@pytest.mark.parametrize(
    "derive, pieces",
    [
        ('{ method = "probability_with_odd_ratio", baseline = 0.1, odds_ratio = 3.0 }', ["triage.routine_threshold.derive.method", "probability_with_odds_ratio"]),
        ('{ method = "probability_with_odds_ratio", baseline = 0.1 }', ["derive.odds_ratio", "nothing"]),
        ('{ method = "probability_with_odds_ratio", baseline = 1.5, odds_ratio = 3.0 }', ["derive.baseline", "(0, 1)"]),
        ('{ method = "probability_with_odds_ratio", baseline = "a", odds_ratio = 3.0 }', ["derive.baseline", "finite number"]),
        ('{ baseline = 0.1, odds_ratio = 3.0 }', ["derive.method", "name of a conversion"]),
        ('"odds"', ["triage.routine_threshold.derive", "a table"]),
    ],
)
def test_a_bad_derivation_is_refused_naming_the_entry(tmp_path, derive, pieces):
    folder = _with_derive(tmp_path, 0.25, derive)
    with pytest.raises(KnowledgeBaseError) as err:
        load_knowledge_base(folder)
    for piece in pieces:
        assert piece in str(err.value), (piece, str(err.value))


def test_every_derived_number_of_the_default_kb_agrees_with_its_figures(kb):
    from twitchnet.kb import convert

    derived = [(where, n) for where, n in kb.numbers() if n.derive]
    assert derived, "the default knowledge base derives numbers from published figures"
    for where, n in derived:
        assert convert.agrees(n.value, n.derived), where


def test_a_link_derived_from_a_sensitivity_names_its_findings_leak(tmp_path, kb):
    """A link computed with a leak must use the finding's own leak, or it is stale."""
    finding = next(f for f in kb.findings for link in f.links if link.p.derive and dict(link.p.derive[1]).get("leak"))
    leak = finding.leak.value
    text = (DEFAULT / "findings.toml").read_text()
    old = f"leak = {{ value = {leak:g},"
    start = text.index(f"[{finding.id}]\n")
    at = text.index(old, start)
    assert at < text.index("\n[", start + 1)
    folder = tmp_path / "kb"
    shutil.copytree(DEFAULT, folder)
    new_leak = leak / 2
    (folder / "findings.toml").write_text(text[:at] + old.replace(f"{leak:g}", f"{new_leak:g}") + text[at + len(old):])
    with pytest.raises(KnowledgeBaseError, match=f"{finding.id}.causes.*leak"):
        load_knowledge_base(folder)


def test_the_population_is_read_and_exposed(tmp_path, kb):
    assert "adults" in kb.population and "leg" in kb.population
    assert twitchnet.load_model().population == kb.population
    folder = _corrupt(tmp_path, "model.toml", "\npopulation = ", "\n# population = ")
    with pytest.raises(KnowledgeBaseError, match="model.toml: population"):
        load_knowledge_base(folder)


def test_readme_counts_of_cited_and_judgement_numbers_are_true(kb):
    import re

    root = Path(__file__).parents[2]  # the sentence moved from the README to the documentation site (issue 24)
    readme = "\n".join(p.read_text() for p in [root / "README.md", *sorted((root / "docs").glob("*.md"))])
    m = re.search(r"lists all (\d+) numbers\s+with their citations: (\d+) cite a published figure \((\d+) of them\s+derived", readme)
    assert m, "README sentence with the counts not found"
    m2 = re.search(r"derived\s+from published figures by a named conversion\), (\d+) are marked\s+judgement", readme)
    assert m2, "README sentence with the judgement count not found"
    c = kb.counts()
    assert (int(m.group(1)), int(m.group(2)), int(m.group(3)), int(m2.group(1))) == (c.total, c.cited, c.derived_cited, c.judgement)


def test_every_source_is_used_or_kept_with_a_reason(kb):
    """A source no number or rule names must say, in the comment above it, which notes cite it."""
    used = {n.source for _, n in kb.numbers()} | {r.source for r in kb.rules}
    lines = (DEFAULT / "sources.toml").read_text().splitlines()
    for sid in sorted(set(kb.sources) - used):
        at = lines.index(f"[{sid}]")
        assert lines[at - 1].startswith("# Kept"), f"{sid}: unused and not kept with a reason"


def test_no_source_points_to_a_file_outside_the_package(kb):
    for s in kb.sources.values():
        assert "knowledge-sources.md" not in s.citation, s.id


def test_only_what_the_loader_read_from_the_packaged_files_is_packaged(tmp_path, monkeypatch):
    """Decided by identity (issue 21): a copy with edited numbers keeps the packaged location and
    content hash, and must never be taken for the packaged knowledge base (whose kernel tables are
    cached on disk); nor a folder, even a copy of the packaged files."""
    import pickle
    from dataclasses import replace

    from twitchnet.kb import loader

    for no_cache in ("1", ""):  # built from the files, and served from the cache
        monkeypatch.setenv("TWITCHNET_CACHE_DIR", str(tmp_path))
        monkeypatch.setenv("TWITCHNET_NO_CACHE", no_cache)
        kb = load_knowledge_base()
        assert loader.is_packaged(kb) and kb.location == loader.PACKAGED
        edited = replace(kb, causes=(replace(kb.causes[0], baseline=replace(kb.causes[0].baseline, value=0.5)), *kb.causes[1:]))
        assert edited.location == loader.PACKAGED and edited.content_hash == kb.content_hash
        assert not loader.is_packaged(edited)
        assert not loader.is_packaged(pickle.loads(pickle.dumps(kb)))
    assert not loader.is_packaged(load_knowledge_base(loader._default_folder()))


@pytest.mark.parametrize(
    "derive",
    ['{ method = "ratio_of_odds_ratios", numerator = 1e308, denominator = 1e-308 }',
     '{ method = "odds_ratio_from_prevalences", exposed = 0.272, unexposed = 5e-324 }'],
)
def test_a_derivation_that_overflows_is_refused_naming_file_and_entry(tmp_path, derive):
    # hostile L2: "ConversionError: derived: expected a finite number, got inf", no file, no entry
    folder = _with_derive(tmp_path, 0.25, derive)
    with pytest.raises(KnowledgeBaseError, match=r"^model\.toml: triage\.routine_threshold\.derive: expected figures from which \w+ derives a finite number, got 'inf from"):
        load_knowledge_base(folder)


def test_an_alias_named_like_a_cause_is_refused(tmp_path):
    # hostile L5: `neuropathy = "tingling"` loaded; evidence neuropathy=True then meant tingling,
    # while fit read a column of that name as a diagnosis
    folder = tmp_path / "kb"
    shutil.copytree(DEFAULT, folder)
    with open(folder / "aliases.toml", "a") as fh:
        fh.write('\nneuropathy = "tingling"\n')
    with pytest.raises(KnowledgeBaseError, match=r"^aliases\.toml: neuropathy: expected an alias that is not a cause or cause-group id"):
        load_knowledge_base(folder)


def test_a_symbolic_link_out_of_the_folder_is_refused(tmp_path):
    # hostile L11: aliases.toml linked to pyproject.toml was read, and its keys echoed in messages
    folder = tmp_path / "kb"
    shutil.copytree(DEFAULT, folder)
    outside = tmp_path / "secret.toml"
    outside.write_text('[build-system]\nrequires = ["x"]\n')
    (folder / "aliases.toml").unlink()
    (folder / "aliases.toml").symlink_to(outside)
    with pytest.raises(KnowledgeBaseError, match=r"^aliases\.toml: expected a file inside the knowledge-base folder") as info:
        load_knowledge_base(folder)
    assert "build-system" not in str(info.value)
    # a link to a file inside the folder, or a folder that is itself a link, is fine
    (folder / "aliases.toml").unlink()
    shutil.copy(DEFAULT / "aliases.toml", folder / "aliases.orig")
    (folder / "aliases.toml").symlink_to(folder / "aliases.orig")
    (tmp_path / "link").symlink_to(folder)
    assert load_knowledge_base(tmp_path / "link").aliases == load_knowledge_base(DEFAULT).aliases


# ---------------------------------------------------------------------- [burden] of model.toml
def _data():
    import tomllib

    from twitchnet.kb.loader import FILES

    return {n: tomllib.loads((Path(twitchnet.__file__).parent / "data" / "default" / n).read_text()) for n in FILES}


def test_burdens_load_one_per_kind_of_test_with_source_and_range(kb):
    tests = {f.test for f in kb.findings if f.test} | {r.test for r in kb.risk_factors if r.test}
    assert set(kb.burdens) == tests
    assert {k: n.value for k, n in kb.burdens.items()} == {"blood test": 1.0, "nerve conduction study": 5.0, "EMG": 8.0, "MRI": 6.0}
    assert all(n.low <= n.value <= n.high and n.source == "judgement" and n.note for n in kb.burdens.values())


@pytest.mark.parametrize(
    "edit, pieces",
    [(lambda b: b.pop("MRI"), ["model.toml: burden.MRI", "a burden for every kind of test"]),
     (lambda b: b.__setitem__("PET scan", dict(b["MRI"])), ["model.toml: burden.PET scan", "test text of some finding"]),
     (lambda b: b["EMG"].__setitem__("value", -1.0), ["model.toml: burden.EMG.value", "positive burden"]),
     (lambda b: b["EMG"].__setitem__("source", "nowhere"), ["model.toml: burden.EMG.source", "sources.toml"])],
)
def test_a_bad_burden_table_is_refused_naming_the_entry(edit, pieces):
    from twitchnet.kb.loader import knowledge_base_from_data

    data = _data()
    edit(data["model.toml"]["burden"])
    with pytest.raises(KnowledgeBaseError) as err:
        knowledge_base_from_data(data)
    for piece in pieces:
        assert piece in str(err.value)


def test_without_a_burden_table_every_test_weighs_one():
    from twitchnet.explain.workup import next_tests
    from twitchnet.kb.loader import knowledge_base_from_data

    data = _data()
    del data["model.toml"]["burden"]
    m = twitchnet.DiagnosticModel(knowledge_base_from_data(data))
    assert dict(m.kb.burdens) == {}
    plan = next_tests(m, {"tingling": True}, k=None)
    assert all(t.cost == 1.0 and t.gain_per_burden == t.gain for t in plan)
