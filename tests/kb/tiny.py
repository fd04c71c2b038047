"""Write small synthetic knowledge bases (the hostile shapes of issue 13 item 13) to a folder."""

J = 'source = "judgement", note = "test"'


def num(v, lo=None, hi=None):
    lo = v if lo is None else lo
    hi = v if hi is None else hi
    return f"{{ value = {v!r}, low = {lo!r}, high = {hi!r}, {J} }}"


def write_kb(folder, *, causes=2, findings=2, private=0, shared_states=0, shared_binary=0, odds_ratio="2.0", prior_one_line=False):
    """A knowledge base with ``causes`` causes and ``findings`` findings (one of them a red flag).

    ``private``: yes/no risk factors private to the first cause. ``shared_states``: a category
    factor with that many states shared by every cause; ``shared_binary``: yes/no factors shared
    by every cause. ``odds_ratio``: the text of the private
    factors' odds ratio (e.g. ``"1e-308"``, ``str(10**400)``).
    """
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "model.toml").write_text(f'name = "tiny"\nversion = "1"\n[triage]\nroutine_threshold = {num(0.25)}\n')
    (folder / "sources.toml").write_text('[judgement]\ncitation = "modelling judgement"\n')
    rf, effects = [], {c: [] for c in range(causes)}
    for i in range(private):
        rf.append(f"[p{i}]\nmeaning = \"private {i}\"\nprior = {num(0.3)}\n")
        effects[0].append(f"p{i} = {{ value = {odds_ratio}, low = {odds_ratio}, high = {odds_ratio}, {J} }}")
    for i in range(shared_binary):
        rf.append(f"[b{i}]\nmeaning = \"shared {i}\"\nprior = {num(0.3)}\n")
        for c in range(causes):
            effects[c].append(f"b{i} = {num(2.0)}")
    if shared_states:
        states = [f"s{i}" for i in range(shared_states)]
        p = 1.0 / shared_states
        if prior_one_line:
            prior = "prior = [" + ", ".join(num(p, 0.0, 1.0) for _ in states) + "]"
        else:
            prior = "prior = [\n" + "".join(f"  {num(p, 0.0, 1.0)},\n" for _ in states) + "]"
        rf.append(f"[shared]\nmeaning = \"shared\"\nkind = \"category\"\nstates = {states!r}\n{prior}\n".replace("'", '"'))
        for c in range(causes):
            effects[c].append(f'"shared=s1" = {num(2.0)}')
    (folder / "risk_factors.toml").write_text("\n".join(rf))
    text = ""
    for c in range(causes):
        text += (
            f'[c{c}]\nname = "Cause {c}"\nmeaning = "cause {c}"\ncare = "clinician"\nsummary = "s"\nadvice = "a"\n'
            f"baseline = {num(0.1)}\n[c{c}.effects]\n" + "\n".join(effects[c]) + "\n\n"
        )
    (folder / "causes.toml").write_text(text)
    text = ""
    for f in range(findings):
        red = "red_flag = true\n" if f == 0 else ""
        text += f'[f{f}]\nmeaning = "finding {f}"\n{red}leak = {num(0.05)}\n[f{f}.causes]\nc{f % causes} = {num(0.5)}\n\n'
    (folder / "findings.toml").write_text(text)
    (folder / "red_flags.toml").write_text(
        '[flags.f0]\nmeaning = "finding 0"\n[rules.f0]\nlevel = "urgent"\nall = ["f0"]\ntitle = "t"\nadvice = "a"\nsource = "judgement"\n'
    )
    (folder / "aliases.toml").write_text("")
    return folder
