"""Dated FX conversion through a pint registry per year, and GDP look-ups.

Rates are yearly averages (see data/fx_rates.toml for their source). pint carries the
arithmetic: each year gets a registry in which every currency is a unit of one
[currency] dimension, so `convert(61e12, "KRW", "CNY", 2025)` is ordinary unit
conversion and a missing currency is an error rather than a silent 1.0.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import pint

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
        """The table year closest to `year` (clamped at both ends)."""
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


@cache
def _registry(year: int) -> pint.UnitRegistry:
    registry = pint.UnitRegistry(None)
    registry.define("USD = [currency]")
    for code, per_usd in fx_table().rates[year].items():
        registry.define(f"{code} = USD / {per_usd!r}")
    return registry


def convert(amount: float, currency: str, to: str, year: int) -> float:
    """`amount` of `currency` in `to`, at the yearly average rates of `year` (nearest held)."""
    registry = _registry(fx_table().nearest_year(year))
    try:
        return float(registry.Quantity(amount, currency).to(to).magnitude)
    except pint.errors.UndefinedUnitError as exc:
        raise EvidenceError(
            f"no FX rate for {exc.unit_names} in pactlab/evidence/data/fx_rates.toml; "
            f"expected one of {', '.join(CURRENCIES)}"
        ) from exc


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
