"""Each conversion of twitchnet.kb.convert on examples computed by hand (the arithmetic is written
out beside each expected value), its argument checks, and the agreement rule the loader applies."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from twitchnet.errors import ConversionError
from twitchnet.kb import convert


@pytest.mark.parametrize(
    "exposed, unexposed, expected",
    [
        # (0.5 / 0.5) / (0.2 / 0.8) = 1 / 0.25 = 4
        (0.5, 0.2, 4.0),
        # (0.112 / 0.888) / (0.025 / 0.975) = 0.126126... / 0.0256410... = 4.918919
        (0.112, 0.025, 4.918919),
        # (0.1 / 0.9) / (0.1 / 0.9) = 1
        (0.1, 0.1, 1.0),
        # (0.066 / 0.934) / (0.142 / 0.858) = 0.0706638 / 0.1655012 = 0.426969
        (0.066, 0.142, 0.426969),
    ],
)
def test_odds_ratio_from_prevalences(exposed, unexposed, expected):
    assert convert.odds_ratio_from_prevalences(exposed, unexposed) == pytest.approx(expected, rel=1e-6)


def test_odds_ratio_from_counts():
    # 38 of 127 vs 11 of 100: (38 / 89) / (11 / 89) = 38 / 11 = 3.454545
    assert convert.odds_ratio_from_counts(38, 127, 11, 100) == pytest.approx(3.454545, rel=1e-6)
    # 10 of 20 vs 5 of 25: (10 / 10) / (5 / 20) = 4
    assert convert.odds_ratio_from_counts(10, 20, 5, 25) == pytest.approx(4.0)


@pytest.mark.parametrize(
    "rr, p0, expected",
    [
        # p1 = 0.2; OR = 2 x 0.9 / 0.8 = 2.25 (= (0.2/0.8)/(0.1/0.9) = 0.25 / 0.1111 = 2.25)
        (2.0, 0.1, 2.25),
        # p1 = 0.174; OR = 1.74 x 0.9 / 0.826 = 1.566 / 0.826 = 1.895884
        (1.74, 0.10, 1.895884),
        # a rare outcome: OR close to RR. p1 = 0.003; OR = 3 x 0.999 / 0.997 = 3.006018
        (3.0, 0.001, 3.006018),
        # RR below 1: p1 = 0.25; OR = 0.5 x 0.5 / 0.75 = 0.333333
        (0.5, 0.5, 1 / 3),
    ],
)
def test_odds_ratio_from_relative_risk(rr, p0, expected):
    assert convert.odds_ratio_from_relative_risk(rr, p0) == pytest.approx(expected, rel=1e-6)


def test_odds_ratio_from_likelihood_ratios():
    # 2.0 / 0.62 = 3.225806; 4 / 0.5 = 8
    assert convert.odds_ratio_from_likelihood_ratios(2.0, 0.62) == pytest.approx(3.225806, rel=1e-6)
    assert convert.odds_ratio_from_likelihood_ratios(4.0, 0.5) == pytest.approx(8.0)


def test_ratio_of_odds_ratios():
    # 1.73 / 1.25 = 1.384; 1.75 / 5 = 0.35
    assert convert.ratio_of_odds_ratios(1.73, 1.25) == pytest.approx(1.384)
    assert convert.ratio_of_odds_ratios(1.75, 5.0) == pytest.approx(0.35)


def test_probability_with_odds_ratio():
    # odds 0.2 / 0.8 = 0.25; x 3 = 0.75; 0.75 / 1.75 = 3 / 7
    assert convert.probability_with_odds_ratio(0.2, 3.0) == pytest.approx(3 / 7, rel=1e-9)
    # odds 0.5 / 0.5 = 1; x 1 = 1; 1 / 2 = 0.5
    assert convert.probability_with_odds_ratio(0.5, 1.0) == pytest.approx(0.5)


@pytest.mark.parametrize(
    "s, leak, expected",
    [
        # 1 - 0.19 / 0.97 = 1 - 0.195876 = 0.804124
        (0.81, 0.03, 0.804124),
        # no leak: the frequency itself
        (0.69, 0.0, 0.69),
        # 1 - 0.5 / 0.8 = 0.375
        (0.5, 0.2, 0.375),
    ],
)
def test_link_from_sensitivity(s, leak, expected):
    assert convert.link_from_sensitivity(s, leak) == pytest.approx(expected, rel=1e-6)


def test_odds_and_back():
    # 0.2 / 0.8 = 0.25 and back
    assert convert.odds(0.2) == pytest.approx(0.25)
    assert convert.probability_from_odds(0.25) == pytest.approx(0.2)
    assert convert.odds(0.0) == 0.0


@given(st.floats(0.001, 0.999), st.floats(0.001, 0.999))
def test_probability_with_odds_ratio_inverts_odds_ratio_from_prevalences(p1, p0):
    r = convert.odds_ratio_from_prevalences(p1, p0)
    assert convert.probability_with_odds_ratio(p0, r) == pytest.approx(p1, rel=1e-9, abs=1e-12)


@given(st.floats(0.01, 0.99), st.floats(0.0, 0.98))
def test_link_from_sensitivity_reproduces_the_frequency_in_a_noisy_or(s, leak):
    if leak >= s:
        return
    p = convert.link_from_sensitivity(s, leak)
    # a person with only this cause: 1 - (1 - leak)(1 - p) must be the published frequency
    assert 1.0 - (1.0 - leak) * (1.0 - p) == pytest.approx(s, rel=1e-9)


@pytest.mark.parametrize(
    "call, key",
    [
        (lambda: convert.odds_ratio_from_prevalences(1.2, 0.1), "exposed"),
        (lambda: convert.odds_ratio_from_prevalences(0.2, 0.0), "unexposed"),
        (lambda: convert.odds_ratio_from_prevalences(float("nan"), 0.1), "exposed"),
        (lambda: convert.odds_ratio_from_prevalences(True, 0.1), "exposed"),
        (lambda: convert.odds_ratio_from_relative_risk(3.0, 0.5), "relative_risk"),
        (lambda: convert.odds_ratio_from_relative_risk(-1.0, 0.1), "relative_risk"),
        (lambda: convert.odds_ratio_from_counts(12, 10, 1, 10), "exposed_cases"),
        (lambda: convert.odds_ratio_from_likelihood_ratios(2.0, 0.0), "negative"),
        (lambda: convert.link_from_sensitivity(0.3, 0.4), "leak"),
        (lambda: convert.ratio_of_odds_ratios(1.0, -2.0), "denominator"),
    ],
)
def test_bad_arguments_name_the_argument(call, key):
    with pytest.raises(ConversionError) as err:
        call()
    assert err.value.key == key
    assert isinstance(err.value, ValueError)


def test_derive_dispatches_by_name_and_checks_arguments():
    assert convert.derive("odds_ratio_from_prevalences", exposed=0.5, unexposed=0.2) == pytest.approx(4.0)
    with pytest.raises(ConversionError, match="odds_ratio_from_prevalences"):
        convert.derive("odds_ratio_from_prevalence", exposed=0.5, unexposed=0.2)
    with pytest.raises(ConversionError, match="unexposed"):
        convert.derive("odds_ratio_from_prevalences", exposed=0.5)
    with pytest.raises(ConversionError, match="unexposd"):
        convert.derive("odds_ratio_from_prevalences", exposed=0.5, unexposd=0.2)
    # optional arguments may be left out
    assert convert.derive("link_from_sensitivity", sensitivity=0.4) == pytest.approx(0.4)


@pytest.mark.parametrize(
    "written, derived, ok",
    [
        (4.9, 4.918919, True),  # two significant figures
        (4.92, 4.918919, True),  # three
        (5.0, 4.918919, False),
        (15.0, 14.8, True),  # 14.8 rounds to 15
        (14.0, 14.8, False),
        (0.67, 0.674, True),
        (0.69, 0.674, False),
        (0.35, 0.35, True),
        (0.0107, 0.0101, False),  # tolerance 0.0005 at this magnitude
        (0.0105, 0.0101, True),
    ],
)
def test_agreement_is_two_significant_figures(written, derived, ok):
    assert convert.agrees(written, derived) is ok


def test_tolerance_is_half_a_unit_of_the_second_significant_figure():
    assert convert.tolerance(4.919) == pytest.approx(0.05)
    assert convert.tolerance(14.8) == pytest.approx(0.5)
    assert convert.tolerance(0.6737) == pytest.approx(0.005)
    assert convert.tolerance(100.0) == pytest.approx(5.0)
    assert math.isclose(convert.tolerance(0.0), 0.0)


def test_rate_ratio():
    # ALS: men 3.0, women 2.4 per 100,000 a year (Logroscino 2010); MS: men 4.84, women 11.52 (Mackenzie 2014)
    assert convert.rate_ratio(3.0, 2.4) == pytest.approx(1.25)
    assert convert.rate_ratio(4.84, 11.52) == pytest.approx(0.4201, abs=1e-4)
    with pytest.raises(ConversionError):
        convert.rate_ratio(0.0, 2.4)


@given(shares=st.lists(st.floats(0.01, 1.0), min_size=2, max_size=6))
def test_level_links_reproduce_the_distribution_in_a_noisy_max(shares):
    # a cause alone: Y is the highest level that fires, each level k firing with its link
    # p_k = P(Y = k) / P(Y <= k), independently; so P(Y = k) = p_k * prod_{j > k} (1 - p_j)
    total = sum(shares)
    dist = [s / total for s in shares]
    links = [None] + [convert.level_link_from_shares(dist[k], sum(dist[: k + 1])) for k in range(1, len(dist))]
    for k in range(len(dist)):
        p = (links[k] if k else 1.0) * math.prod(1.0 - links[j] for j in range(k + 1, len(dist)))
        assert p == pytest.approx(dist[k], rel=1e-9, abs=1e-12)
    with pytest.raises(ConversionError):
        convert.level_link_from_shares(0.5, 0.4)


def test_the_conversions_moved_to_kb_conversions_import_from_convert():
    """kb/convert.py was split (issue 23 part 3): the arithmetic to kb/conversions.py. Every
    conversion keeps its old path, and every one an entry may name is in METHODS."""
    from twitchnet.kb import conversions

    assert set(conversions.__all__) <= set(convert.__all__)
    for name in conversions.__all__:
        assert getattr(convert, name) is getattr(conversions, name), name
    assert set(convert.METHODS) == set(conversions.__all__) - {"odds", "probability_from_odds"}
