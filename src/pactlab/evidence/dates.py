"""Dates and deadlines: "Dec. 18, 2019", "December 2019", "by the end of 2020", "by 2032",
and months with a part ("early August", "late July or early August").

Regular expressions find where a date is and pin its form (month-day-year, day-month-year,
ISO, month-year, month-day), so reading it needs no date library: the month comes from its
first three letters, day and year from the digits, and `datetime.date` refuses what no
calendar has ("Feb. 30, 2019"). A locale-free month table rather than `strptime`'s `%b`
keeps "Sept" and "Dec." readable whatever locale the process runs in.
"""

from __future__ import annotations

import calendar
import re
from datetime import date

MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_DAY = r"(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:19|20)\d\d"
# A month without a day or year is a date only with a part of it named: "late July",
# not "May" (the verb) or "March" (the noun).
_PART = r"(?:[Ee]arly|[Mm]id|[Ll]ate)[\s-]+"
_YEAR_ALONE = rf"(?<![\w$€¥₩.,:/#-]){_YEAR}(?![\w%]|[.,:]\d|-\d)"
_CORE = (
    rf"(?P<mdy>{MONTH}\s{_DAY},?\s{_YEAR})(?!\d)"
    rf"|(?P<dmy>(?<!\d){_DAY}\s{MONTH},?\s{_YEAR})(?!\d)"
    rf"|(?P<iso>(?<![\w-]){_YEAR}-[01]\d-[0-3]\d)(?![\w-])"
    rf"|(?P<my>{MONTH}\s{_YEAR})(?!\d)"
    rf"|(?P<mr>{_PART}(?P<m1>{MONTH})\s+(?:or|to|and)\s+(?:{_PART})?(?P<m2>{MONTH})"
    rf"(?:,?\s(?P<mry>{_YEAR}))?)(?![\w]|\s?\d)"
    rf"|(?P<m>{_PART}(?P<m0>{MONTH}))(?!\w|\s?\d)"
    rf"|(?P<md>{MONTH}\s{_DAY})(?!\w|,\s?\d)"
    rf"|(?P<y>{_YEAR_ALONE})"
)
DATE = re.compile(
    r"(?:(?P<by>\b(?:[Bb]y|[Uu]ntil|[Nn]o\s+later\s+than)\s+)?"
    r"(?P<edge>\b(?:the\s+)?(?:end|close)\s+of\s+))?"
    r"(?:(?P<by2>\b(?:[Bb]y|[Uu]ntil|[Nn]o\s+later\s+than)\s+))?"
    rf"(?:{_CORE})"
)
# Every date starts with a digit or one of these words or word beginnings (by, until, no
# later than, the end/close of, a month, early/mid/late). The pattern starts with literal
# characters, so the engine skips every other character at C speed; DATE itself is then
# tried only where this matches.
DATE_START = re.compile("|".join((
    *"0123456789", "By", "by", "Until", "until", "No", "no", "the", "end", "close", "Jan",
    "Feb", "Mar", "May", "Apr", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec", "Early",
    "early", "Mid", "mid", "Late", "late")))

# The year a month-day date ("Feb. 29") is checked in: a leap year, so that Feb. 29 counts.
_LEAP_YEAR = 2000
_DIGITS = re.compile(r"\d+")
_MONTH_NAME = re.compile(r"[A-Za-z]{3}")

_MONTHS = {name: i for i, name in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)}


def _month(token: str, year: str | None = None) -> str:
    """ "early August" -> "--08"; with a year, "2025-08"."""
    number = _MONTHS[token[:3].lower()]
    return f"{year}-{number:02d}" if year else f"--{number:02d}"


def parse_date(match: re.Match[str]) -> tuple[str, str | None, str] | None:
    """(ISO value, ISO high end or None, unit) of a DATE match; unit is "deadline" after
    "by"/"until", else "date". "late July or early August" is ("--07", "--08", "date").

    Returns None when the text is not a real date ("Feb. 30, 2019").
    """
    unit = "deadline" if match["by"] or match["by2"] else "date"
    end_of = bool(match["edge"])
    if match["y"]:
        year = int(match["y"])
        return (f"{year}-12-31" if end_of else str(year)), None, unit
    if match["m"]:
        return _month(match["m0"]), None, unit
    if match["mr"]:
        return _month(match["m1"], match["mry"]), _month(match["m2"], match["mry"]), unit
    form = next(f for f in ("mdy", "dmy", "iso", "my", "md") if match[f])
    parsed = _calendar_date(form, match[form])
    if parsed is None:
        return None
    if form == "my":
        if end_of:
            last = calendar.monthrange(parsed.year, parsed.month)[1]
            return f"{parsed.year:04d}-{parsed.month:02d}-{last:02d}", None, unit
        return f"{parsed.year:04d}-{parsed.month:02d}", None, unit
    if form == "md":
        return f"--{parsed.month:02d}-{parsed.day:02d}", None, unit
    return parsed.isoformat(), None, unit


def _calendar_date(form: str, text: str) -> date | None:
    """The date a matched form names (day 1 for month-year, a leap year for month-day);
    None when the calendar has no such day."""
    numbers = [int(d) for d in _DIGITS.findall(text)]
    if form == "iso":
        year, month, day = numbers
    else:
        month = _MONTHS[_MONTH_NAME.findall(text)[0].lower()]
        if form == "my":
            year, day = numbers[0], 1
        elif form == "md":
            year, day = _LEAP_YEAR, numbers[0]
        else:  # mdy, dmy: the day comes first among the digits either way
            day, year = numbers
    try:
        return date(year, month, day)
    except ValueError:
        return None
