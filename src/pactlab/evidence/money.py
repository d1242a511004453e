"""Writing amounts back the way a reader expects: "14 trillion won", "RMB 7.3 billion"."""

from __future__ import annotations

_SCALES = ((10**12, "trillion"), (10**9, "billion"), (10**6, "million"))


def format_money(amount: float, currency: str, digits: int = 3) -> str:
    """A short human reading of an amount with `digits` significant figures."""
    number = f"{amount:,.0f}"
    for size, word in _SCALES:
        if abs(amount) >= size:
            number = f"{_significant(amount / size, digits)} {word}"
            break
    if currency == "KRW":
        return f"{number} won"
    if currency == "USD":
        return f"US${number}"
    prefix = {"CNY": "RMB", "JPY": "JPY", "EUR": "EUR"}.get(currency, currency)
    return f"{prefix} {number}"


def _significant(x: float, digits: int) -> str:
    text = f"{x:.{digits}g}"
    if "e" in text:
        return f"{x:,.0f}"
    return text
