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
