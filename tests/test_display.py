"""Text rendering shows the banner first and only formats numbers held by results."""

import twitchnet
from twitchnet.display import render_text


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

    from twitchnet.display import render_html

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


UNSURE = {"age": 68, "sex": "male", "tingling": True, "burning_pain": True, "stocking_distribution": True, "diabetes": True}


def test_text_without_uncertainty_has_no_interval_columns():
    text = str(twitchnet.diagnose(UNSURE))
    assert "90% interval" not in text and "P(first)" not in text


def test_text_with_uncertainty_shows_each_interval_and_p_first():
    d = twitchnet.diagnose(UNSURE, uncertainty=200, seed=1)
    text = render_text(d)
    assert "90% interval" in text and "P(first)" in text and "200 draws" in text and "seed 1" in text
    rows = text.splitlines()
    for r in d.ranking:
        cu = d.intervals[r.cause]
        row = next(line for line in rows if f" {r.name} " in line)
        assert f"{cu.low:.3f}-{cu.high:.3f}" in row and f"{cu.p_first:>8.3f}" in row and f"{r.prior:.3f}" in row


def test_text_bar_marks_the_interval_ends():
    from twitchnet.display import _bar_interval

    assert _bar_interval(0.5, 0.2, 0.8) == "####[#####.....]...."
    assert _bar_interval(0.99, 0.97, 0.999) == "###################|"


def test_html_with_uncertainty_has_a_band_per_cause_and_p_first():
    import re

    d = twitchnet.diagnose(UNSURE, uncertainty=200, seed=1)
    html = d._repr_html_()
    assert html.count("class='twitchnet-interval'") == len(d.ranking)
    assert "90% interval" in html and "P(first)" in html and "200 draws" in html
    for r in d.ranking:
        cu = d.intervals[r.cause]
        assert f"{cu.low:.3f}-{cu.high:.3f}</td><td style='text-align:right'>{cu.p_first:.3f}" in html
    # the band starts at the interval's low end on a 120 px bar
    lefts = [float(x) for x in re.findall(r"position:absolute;left:([0-9.]+)px;width:[0-9.]+px;top:0", html)]
    assert lefts == [round(d.intervals[r.cause].low * 120, 1) for r in d.ranking]
    plain = twitchnet.diagnose(UNSURE)._repr_html_()
    assert "twitchnet-interval" not in plain and "P(first)" not in plain
