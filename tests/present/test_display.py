"""Text rendering shows the banner first and only formats numbers held by results."""

import twitchnet
from twitchnet.present.display import render_text


def test_banner_then_table_then_advice():
    d = twitchnet.diagnose({"saddle_numbness": True, "back_pain": True})
    text = render_text(d)
    assert text.startswith("!!!") and "EMERGENCY" in text
    assert text.index("Possible cauda equina") < text.index("rank")
    assert "Source: NICE" in text


def test_no_banner_without_red_flags_and_probabilities_shown():
    d = twitchnet.diagnose({"brief_buzz": True, "where_phone_is_carried": True})
    text = str(d)
    assert not text.startswith("!!!") and text.startswith("Triage: Self-care")
    assert f"{d.ranking[0].probability:.3f}" in text
    assert d.provenance.content_hash[:12] in text


def test_html_has_banner_first_then_causes_and_numbers():
    d = twitchnet.diagnose({"saddle_numbness": True, "tingling": True})
    html = d._repr_html_()
    assert html.index("twitchnet-banner") < html.index("<table")
    assert "EMERGENCY" in html and "cauda equina" in html and "NICE" in html
    for r in d.ranking:
        assert r.name in html and f"{r.probability:.3f}" in html and f"{r.prior:.3f}" in html


def test_html_escapes_text(model):
    from dataclasses import replace

    from twitchnet.present.display import render_html

    d = twitchnet.diagnose({"tingling": True})
    evil = replace(d.ranking[0], name="<script>x</script>", advice="a & <b>")
    html = render_html(replace(d, ranking=(evil,) + d.ranking[1:]))
    assert "<script>" not in html and "&lt;script&gt;x&lt;/script&gt;" in html
    assert "a &amp; &lt;b&gt;" in html


def test_model_html_summarises_numbers_and_sources(model):
    html = model._repr_html_()
    assert model.content_hash[:12] in html and "judgement" in html
    for c in model.cause_ids:
        assert f"<td>{c}</td>" in html


EV_U = {"age": 68, "sex": "male", "tingling": True, "burning_pain": True, "stocking_distribution": True, "diabetes": True}


def test_text_and_html_show_each_interval_and_p_first_only_when_drawn():
    import re

    plain = twitchnet.diagnose(EV_U)
    d = twitchnet.diagnose(EV_U, uncertainty=100, seed=3)
    u = d.intervals
    text, html = str(d), d._repr_html_()
    for r in d.ranking:
        cu = u[r.cause]
        row = next(line for line in text.splitlines() if line[6:].startswith(r.name))
        assert f"{cu.low:.3f}-{cu.high:.3f}" in row and f"{cu.p_first:.3f}" in row
        assert f"{cu.low:.3f}-{cu.high:.3f}" in html
    assert "100 draws" in text and "seed 3" in text and "100 draws" in html
    # a whisker per cause and per cause group, placed at the interval's ends on the 120-pixel bar
    lefts = re.findall(r"twitchnet-interval' title='90% interval [0-9.-]+' style='position:absolute;left:([0-9.]+)px;width:([0-9.]+)px", html)
    assert len(lefts) == len(d.ranking) + len(d.group_results)
    top = u[d.ranking[0].cause]
    assert float(lefts[0][0]) == round(top.low * 120, 1)
    assert abs(float(lefts[0][0]) + float(lefts[0][1]) - top.high * 120) < 0.11
    # without draws, nothing changes
    assert "90% interval" not in str(plain) and "twitchnet-interval" not in plain._repr_html_()
    header = next(line for line in str(plain).splitlines() if line.startswith("rank"))
    assert header.endswith("  prior  findings that moved it most") and "P(first)" not in str(plain)


# ---------------------------------------------------------------- issue 21 part 4


def test_a_reassuring_one_shot_answer_lists_the_warning_signs_not_asked(model):
    d = twitchnet.diagnose({"twitching": True})  # KB 2027b: benign twitching, self-care
    assert d.triage == "self_care"
    ids = [i for i, _ in d.warning_signs_not_asked]
    assert ids == list(model.red_flag_ids)
    assert dict(d.warning_signs_not_asked)["saddle_numbness"] == model.spec("saddle_numbness").meaning
    text, html = str(d), d._repr_html_()
    assert "Warning signs not asked" in text and all(f"  - {i}: " in text for i in ids)
    assert text.index("Warning signs not asked") < text.index("Benign twitching")  # before the ranking
    assert "twitchnet-not-asked" in html and all(f"<b>{i}</b>" in html for i in ids)
    assert [w["id"] for w in d.to_dict()["warning_signs_not_asked"]] == ids
    # one asked (and absent): no longer listed
    d = twitchnet.diagnose({"tingling": True, "saddle_numbness": False})
    assert "saddle_numbness" not in dict(d.warning_signs_not_asked) and "  - saddle_numbness: " not in str(d)
    # routine reassures too: listed
    d = twitchnet.diagnose({"age": 68, "sex": "male", "tingling": True, "stocking_distribution": True, "diabetes": True})
    assert d.triage == "routine" and "Warning signs not asked" in str(d) and "twitchnet-not-asked" in d._repr_html_()
    # urgent: the advice instead; insufficient: the questions to answer first
    for ev in ({"saddle_numbness": True}, {}):
        d = twitchnet.diagnose(ev)
        assert "Warning signs not asked" not in str(d) and "twitchnet-not-asked" not in d._repr_html_()


def test_contributions_within_rounding_noise_are_neither_supporting_nor_opposing():
    import dataclasses

    from twitchnet.results import Contributions

    d = twitchnet.diagnose({"twitching": True})
    pv = d["phantom_vibration"]  # twitching is not linked to it: its log_lr is rounding noise
    assert len(pv.contributions) == 1 and abs(pv.contributions[0].log_lr) < pv.noise
    assert pv.supporting == () and pv.opposing == ()
    assert d.to_frame().loc["phantom_vibration", "opposing"] == ""
    bt = d["benign_twitching"]
    assert [c.finding for c in bt.supporting] == ["twitching"]
    assert bt.noise == 1e-12 * max(1.0, abs(bt.prior_log_odds), abs(bt.log_odds))
    # the same noise whatever the engine made of it; a small real contribution stays
    noisy = dataclasses.replace(pv, contributions=Contributions.of([("tingling", True, -4.4e-16), ("cramps", True, 4.4e-16), ("fatigue", False, -1e-6)]))
    assert noisy.supporting == () and [c.finding for c in noisy.opposing] == ["fatigue"]
    # relative to the size of the log-odds
    big = dataclasses.replace(noisy, prior_log_odds=-3e4, log_odds=-3e4)
    assert big.noise == 3e4 * 1e-12 and [c.finding for c in big.opposing] == ["fatigue"]


def test_groups_are_shown_beside_the_ranking_in_text_and_html():
    d = twitchnet.diagnose({"twitching": True, "muscle_weakness": True, "brisk_reflexes": True})
    g = d["neurological_disease"]
    text = str(d)
    line = next(x for x in text.splitlines() if x.strip().startswith("neurological disease"))
    assert f"(#{g.rank})" in line and f"{g.probability:.3f}" in line
    assert text.index("Inflammatory neuropathy") < text.index(line) < text.index("(findings: change")  # below the ranking
    html = d._repr_html_()
    assert "twitchnet-group" in html and f"{g.probability:.3f}" in html
    assert html.index("twitchnet-group") < html.index("</table>")


def test_unconfirmed_red_flags_are_shown_in_text_and_html():
    import twitchnet
    from twitchnet.present.display import render_html

    d = twitchnet.diagnose({"saddle_numbness": twitchnet.maybe(), "urge_to_move": True})
    assert d.unconfirmed == ("saddle_numbness",)
    text = str(d)
    head = text.index("Not confirmed")
    assert "saddle_numbness" in text[head:head + 300]
    html = render_html(d)
    block = html[html.index("twitchnet-unconfirmed"):]
    assert "saddle_numbness" in block[:600]
    hard = twitchnet.diagnose({"saddle_numbness": True, "urge_to_move": True})
    assert "Not confirmed" not in str(hard) and "twitchnet-unconfirmed" not in render_html(hard)


def test_the_ranking_columns_line_up_whatever_the_length_of_a_cause_name():
    """Each row's probability (and the group line's) ends in the same column as the header's
    'probability', even for the longest cause name (inflammatory neuropathy's is 56 characters)."""
    d = twitchnet.diagnose({"age": 68, "sex": "male", "tingling": True, "diabetes": True})
    lines = render_text(d).splitlines()
    head = next(i for i, line in enumerate(lines) if line.lstrip().startswith("rank"))
    end = lines[head].index("probability") + len("probability")
    rows = [line for line in lines[head + 1 : head + 1 + len(d.ranking) + 3] if line[end - 4 : end - 3] == "."]
    assert len(rows) >= len(d.ranking) + 1  # every cause and the group line
    assert max(len(r.name) for r in d.ranking) > 34
    for line in rows:
        assert line[end - 5 : end] == f"{float(line[end - 5 : end]):.3f}" and line[end] == " ", line
