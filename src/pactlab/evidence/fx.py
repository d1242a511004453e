"""Dated FX conversion through the yearly rates table, and GDP look-ups.

Rates are yearly averages in units per U.S. dollar (see data/fx_rates.toml for their
source), so every conversion goes through the dollar: `convert(61e12, "KRW", "CNY", 2025)`
is 61e12 / KRW-per-USD × CNY-per-USD. A currency without a rate is an error naming it,
never a silent 1.0.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from pactlab.errors import EvidenceError
from pactlab.evidence.data import load_data

CURRENCIES = ("USD", "KRW", "CNY", "JPY", "EUR")


@dataclass(frozen=True, slots=True)
class FxTable:
    """Currency units per USD by year, as shipped in fx_rates.toml."""

    rates: dict[int, dict[str, float]]
    source: str

    @property
    def years(self) -> tuple[int, ...]:
        return tuple(sorted(self.rates))

    def nearest_year(self, year: int) -> int:
        """The table year closest to `year` (clamped at both ends; the later on a tie)."""
        if year in self.rates:
            return year
        return min(self.years, key=lambda y: (abs(y - year), -y))


@cache
def fx_table() -> FxTable:
    raw = load_data("fx_rates.toml")
    rates: dict[int, dict[str, float]] = {}
    for year, row in raw.get("rates", {}).items():
        rates[int(year)] = {k: float(v) for k, v in row.items() if k in CURRENCIES}
    if not rates:
        raise EvidenceError("pactlab/evidence/data/fx_rates.toml: expected [rates.YEAR] tables")
    return FxTable(rates=rates, source=str(raw.get("source", "")))


def _per_usd(rates: dict[str, float], currency: str) -> float:
    """Units of `currency` per U.S. dollar; a currency the table lacks is an EvidenceError."""
    if currency == "USD":
        return 1.0
    try:
        return rates[currency]
    except KeyError:
        raise EvidenceError(
            f"no FX rate for {currency!r} in pactlab/evidence/data/fx_rates.toml; "
            f"expected one of {', '.join(CURRENCIES)}"
        ) from None


@cache
def _rates_at(year: int) -> dict[str, float]:
    """The rates `convert` uses for `year`: the table's row for the nearest year held."""
    table = fx_table()
    return table.rates[table.nearest_year(year)]


def convert(amount: float, currency: str, to: str, year: int) -> float:
    """`amount` of `currency` in `to`, at the yearly average rates of `year` (nearest held)."""
    rates = _rates_at(year)
    from_rate, to_rate = _per_usd(rates, currency), _per_usd(rates, to)
    if currency == to:
        return float(amount)
    return float(amount) / from_rate * to_rate


def to_usd(amount: float, currency: str, year: int) -> float:
    return convert(amount, currency, "USD", year)


@dataclass(frozen=True, slots=True)
class Gdp:
    """Nominal GDP of one country in one year, in its own currency."""

    country: str
    name: str
    year: int
    value: float
    currency: str


def gdp_for(country: str, year: int) -> Gdp | None:
    """GDP of `country` (an ISO 3166 alpha-3 code) in `year`, or None if not held."""
    entry = load_data("gdp.toml").get("countries", {}).get(country)
    if entry is None:
        return None
    value = entry.get("gdp", {}).get(str(year))
    if value is None:
        return None
    return Gdp(country, str(entry.get("name", country)), year, float(value),
               str(entry["currency"]))
