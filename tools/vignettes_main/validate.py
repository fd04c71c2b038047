import json, re, collections
voc = open("/work/shared/vocabulary.md").read()
sections = re.split(r"^## ", voc, flags=re.M)
tables = {}
for s in sections[1:]:
    title = s.splitlines()[0].strip()
    ids = re.findall(r"^\|\s*`([a-z0-9_]+)`\s*\|", s, flags=re.M)
    tables[title] = ids
causes = set(tables["Causes (ranked in every explanation)"])
red = set(tables["Red flags (any one present forces the urgent override)"])
allowed = set()
for t, ids in tables.items():
    if not t.startswith("Causes"):
        allowed |= set(ids)
print("causes", sorted(causes)); print("n evidence ids", len(allowed), "red", sorted(red))
d = json.load(open("/work/main/src/twitchnet/data/vignettes.json"))
assert set(d) == {"format","description","vignettes"} and d["format"] == "twitchnet-vignettes/1"
keys = {"id","source","source_type","summary","evidence","truth","acceptable","red_flag","expected_triage","split"}
stypes = {"case_report","case_series","guideline_example","diagnostic_criteria","textbook_example"}
ids = [v["id"] for v in d["vignettes"]]
assert len(ids) == len(set(ids)), "dup ids"
errs = []
for v in d["vignettes"]:
    if set(v) != keys: errs.append((v["id"], "keys", set(v) ^ keys))
    if v["source_type"] not in stypes: errs.append((v["id"], "stype"))
    if v["truth"] is not None and v["truth"] not in causes: errs.append((v["id"], "truth"))
    if not isinstance(v["acceptable"], list) or any(a not in causes or a == v["truth"] for a in v["acceptable"]): errs.append((v["id"], "acceptable"))
    if v["expected_triage"] not in {"emergency","urgent","routine","self_care"}: errs.append((v["id"], "triage"))
    if v["split"] not in {"dev","holdout"}: errs.append((v["id"], "split"))
    for s in ("id","source","summary"):
        if not isinstance(v[s], str) or not v[s].strip(): errs.append((v["id"], s))
    if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", v["id"]): errs.append((v["id"], "slug"))
    ev = v["evidence"]
    if not ev: errs.append((v["id"], "empty evidence"))
    for k, val in ev.items():
        if k not in allowed: errs.append((v["id"], "unknown id", k))
        elif k == "age":
            if isinstance(val, bool) or not isinstance(val, (int, float)) or not 18 <= val <= 120: errs.append((v["id"], "age", val))
        elif k == "sex":
            if val not in ("female","male"): errs.append((v["id"], "sex", val))
        elif not isinstance(val, bool): errs.append((v["id"], "bool", k, val))
    rf = any(ev.get(k) is True for k in red)
    if rf != v["red_flag"]: errs.append((v["id"], "red_flag"))
    if v["truth"] is None and v["expected_triage"] not in ("emergency","urgent"): errs.append((v["id"], "null triage"))
print("errors:", errs)
cnt = collections.Counter(str(v["truth"]) for v in d["vignettes"])
hold = collections.Counter(str(v["truth"]) for v in d["vignettes"] if v["split"]=="holdout")
for t in sorted(cnt):
    need = 10 if t == "None" else 7
    ok = cnt[t] >= need and hold[t] == round(cnt[t]/3)
    print(f"{t:18s} n={cnt[t]:2d} holdout={hold[t]} target>={need} {'OK' if ok else 'FAIL'}")
assert set(cnt) == causes | {"None"}
print("total", len(ids), "(>=66:", len(ids) >= 66, ")")
print("source_type", collections.Counter(v["source_type"] for v in d["vignettes"]))
print("triage", collections.Counter(v["expected_triage"] for v in d["vignettes"]))
print("red_flag true", sum(v["red_flag"] for v in d["vignettes"]))
mism = [(v["id"], v["expected_triage"]) for v in d["vignettes"] if v["red_flag"] and v["expected_triage"] in ("routine","self_care")]
mism2 = [(v["id"], v["expected_triage"]) for v in d["vignettes"] if not v["red_flag"] and v["expected_triage"] in ("urgent","emergency")]
print("red flag but routine:", mism); print("no red flag but urgent/emergency:", mism2)
