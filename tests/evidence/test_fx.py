"""FX and GDP package data: sourced, complete, and converted through the dollar."""

from __future__ import annotations

import tomllib
from importlib import resources

import pytest

from pactlab.errors import EvidenceError
from pactlab.evidence.extract import choose_fx_year
from pactlab.evidence.fx import CURRENCIES, convert, fx_table, gdp_for, to_usd
from pactlab.evidence.quantities import find_quantities


def test_fx_file_names_its_source():
    text = resources.files("pactlab.evidence").joinpath("data", "fx_rates.toml").read_text()
    assert "Federal Reserve" in text and "G.5A" in text
    assert fx_table().source


def test_every_year_has_every_currency():
    table = fx_table()
    assert table.years[0] <= 2019 and table.years[-1] >= 2025
    assert list(table.years) == list(range(table.years[0], table.years[-1] + 1))
    for year in table.years:
        assert set(table.rates[year]) == set(CURRENCIES) - {"USD"}


# The published G.5A annual averages (currency units per U.S. dollar; the euro in U.S.
# dollars per euro), transcribed from the releases named in fx_rates.toml.
G5A = {
    2015: {"KRW": 1130.96, "CNY": 6.2827, "JPY": 121.05, "USD per EUR": 1.1096},
    2017: {"KRW": 1129.0435, "CNY": 6.7569, "JPY": 112.0986, "USD per EUR": 1.1301},
    2018: {"KRW": 1099.2926, "CNY": 6.6090, "JPY": 110.3974, "USD per EUR": 1.1817},
    2019: {"KRW": 1165.8016, "CNY": 6.9081, "JPY": 109.0188, "USD per EUR": 1.1194},
    2020: {"KRW": 1180.5554, "CNY": 6.9042, "JPY": 106.7754, "USD per EUR": 1.1410},
    2021: {"KRW": 1144.8911, "CNY": 6.4508, "JPY": 109.8429, "USD per EUR": 1.1830},
    2022: {"KRW": 1291.7796, "CNY": 6.7290, "JPY": 131.4589, "USD per EUR": 1.0534},
    2023: {"KRW": 1306.7637, "CNY": 7.0809, "JPY": 140.5001, "USD per EUR": 1.0817},
}


@pytest.mark.parametrize("year", sorted(G5A))
def test_checked_years_hold_the_published_g5a_averages(year):
    published, held = G5A[year], fx_table().rates[year]
    for code in ("KRW", "CNY", "JPY"):
        assert held[code] == published[code], (year, code)
    assert held["EUR"] == round(1 / published["USD per EUR"], 4), year


# The same G.5A averages for the years whose release pages were not at hand, as FRED holds
# them (series AEXKOUS, AEXCHUS, AEXJPUS; the euro as round(1 / AEXUSEU, 4)), transcribed
# from github.com/datasets/exchange-rates data/annual.csv at the commit fx_rates.toml names.
FRED_G5A_SOURCE = ("datasets/exchange-rates", "data/annual.csv",
                   "6ce89dd2d063b130ab001c0e34933510ec45aac5")
FRED_G5A = {
    2016: {"KRW": 1159.3422, "CNY": 6.6400, "JPY": 108.6569, "EUR per USD": 0.9032},
    2024: {"KRW": 1363.4381, "CNY": 7.1957, "JPY": 151.4551, "EUR per USD": 0.9242},
    2025: {"KRW": 1421.3963, "CNY": 7.1875, "JPY": 149.5686, "EUR per USD": 0.8845},
}


@pytest.mark.parametrize("year", sorted(FRED_G5A))
def test_fred_years_hold_the_cited_g5a_series_entries(year):
    """2016, 2024 and 2025 are the FRED G.5A entries the file cites, to the last digit."""
    published, held = FRED_G5A[year], fx_table().rates[year]
    for code in ("KRW", "CNY", "JPY"):
        assert held[code] == published[code], (year, code)
    assert held["EUR"] == published["EUR per USD"], year
    text = resources.files("pactlab.evidence").joinpath("data", "fx_rates.toml").read_text()
    for cited in (*FRED_G5A_SOURCE, "AEXKOUS", "AEXCHUS", "AEXJPUS", "AEXUSEU"):
        assert cited in text


def test_every_year_is_a_cited_published_figure():
    """No row is left unverified: every year is in a G.5A release or its FRED series."""
    raw = tomllib.loads(
        resources.files("pactlab.evidence").joinpath("data", "fx_rates.toml").read_text())
    assert not [y for y, row in raw["rates"].items() if "status" in row]
    assert set(fx_table().years) == set(G5A) | set(FRED_G5A)
    assert not set(G5A) & set(FRED_G5A)


def test_krw_2019_is_the_g5a_average():
    """The G.5A of January 2021 gives 1,165.8016 won per dollar for 2019, held verbatim."""
    text = resources.files("pactlab.evidence").joinpath("data", "fx_rates.toml").read_text()
    assert "2017-2020:  G.5A covering 2017-2020" in text
    assert fx_table().rates[2019]["KRW"] == 1165.8016
    assert to_usd(1165.8016e9, "KRW", 2019) == pytest.approx(1e9, rel=1e-12)


def test_cross_rates_go_through_usd():
    assert convert(1, "CNY", "KRW", 2019) == pytest.approx(1165.8016 / 6.9081)
    assert convert(5, "USD", "USD", 2025) == 5


def test_years_outside_the_table_use_the_nearest():
    assert to_usd(1000, "KRW", 1990) == to_usd(1000, "KRW", fx_table().years[0])
    assert to_usd(1000, "KRW", 2040) == to_usd(1000, "KRW", fx_table().years[-1])


@pytest.mark.parametrize(("currency", "to"), [("GBP", "USD"), ("USD", "GBP"), ("KRW", "GBP")])
def test_unknown_currency_is_a_clear_error(currency, to):
    with pytest.raises(EvidenceError, match=r"no FX rate for .GBP.*expected one of USD, KRW"):
        convert(1, currency, to, 2019)


def test_conversion_is_exact_division_by_the_rate():
    """To dollars is amount / rate exactly, so rounded values match a hand computation."""
    assert to_usd(1e12, "KRW", 2018) == 1e12 / 1099.2926
    assert convert(2, "KRW", "KRW", 2018) == 2.0


def test_gdp_table():
    gdp = gdp_for("KOR", 2025)
    assert gdp is not None and gdp.currency == "KRW" and gdp.value == 2663.3e12
    assert gdp_for("KOR", 1999) is None and gdp_for("USA", 2025) is None
    text = resources.files("pactlab.evidence").joinpath("data", "gdp.toml").read_text()
    assert "Bank of Korea" in text


@pytest.mark.parametrize("text", ["no dates at all", "target by 2032", "in late July"])
def test_a_text_without_a_usable_date_uses_the_latest_table_year(text):
    fx = choose_fx_year(find_quantities(text))
    assert fx.year == max(fx_table().years) and "latest year in the FX table" in fx.basis


@pytest.mark.parametrize(("text", "year", "why"), [
    ("as of 2015 and on Dec. 18, 2019, also 2021", 2019, "Dec. 18, 2019"),
    ("as of 2015 and in 2017", 2017, "2017"),
    ("in 1969", 2015, "nearest year 2015"),
])
def test_fx_year_choice(text, year, why):
    fx = choose_fx_year(find_quantities(text))
    assert fx.year == year and why in fx.basis


def test_explicit_year_wins():
    fx = choose_fx_year(find_quantities("on Dec. 18, 2019"), 2024)
    assert fx.year == 2024 and "given" in fx.basis
