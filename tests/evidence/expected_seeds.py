"""Hand-checked quantities of the two seed documents, written by reading them.

Each entry is (context, text, kind, value, value_high, unit): `context` is a phrase that
occurs once in the document and contains `text` once, the figure exactly as its span
should be (`start = document.index(context) + context.index(text)`); a found quantity
matches an entry only with exactly that span, kind, value(s) and unit. Money values
are in the currency's units with scale words applied; dates are ISO 8601 ("--09-23"
when the text gives no year). What is deliberately *not* listed, because the
extractor's scope excludes it: day-of-month-only references ("on the 6th"), weekdays,
relative times ("next year"), durations ("three days", "six hours"), ordinals
("fourth round", "70th anniversary") and the video timestamp "(41:05)".

Seed 000 gives two month-level dates without a year, both listed as dates: "late July or
early August" (the planned summit: ``--07`` to ``--08``) and "early August" in "postponed
to after early August" (``--08``). "after" stays outside that span: it is neither part of
the month nor a deadline marker (the extractor marks only by/until/no later than), and
the sentence keeps it for a reader.
"""

from __future__ import annotations

Expected = tuple[str, str, str, float | int | str, float | int | str | None, str]

SEED_000: list[Expected] = [
    ("spending to 5% of GDP", "5% of GDP", "percent", 5, None, "% of GDP"),
    ("to 3.5% of GDP by", "3.5% of GDP", "percent", 3.5, None, "% of GDP"),
    ("of GDP by 2032", "by 2032", "date", "2032", None, "deadline"),
    ("another 1.5% in", "1.5%", "percent", 1.5, None, "%"),
    ("the 5% target", "5%", "percent", 5, None, "%"),
    ("accounts for 2.3% of GDP", "2.3% of GDP", "percent", 2.3, None, "% of GDP"),
    ("(61 trillion won,", "61 trillion won", "money", 61e12, None, "KRW"),
    ("RMB 320.2 billion", "RMB 320.2 billion", "money", 320.2e9, None, "CNY"),
    ("is 14 trillion won", "14 trillion won", "money", 14e12, None, "KRW"),
    ("RMB 7.3 billion", "RMB 7.3 billion", "money", 7.3e9, None, "CNY"),
    ("transfer one brigade-level force", "one brigade", "count", 1, None, "brigade"),
    ("in late July or early August and", "late July or early August", "date", "--07", "--08",
     "date"),
    ("to after early August,", "early August", "date", "--08", None, "date"),
]

SEED_002: list[Expected] = [
    ("Pursuing $5 Billion Increase", "$5 Billion", "money", 5e9, None, "USD"),
    ("get $5 billion from", "$5 billion", "money", 5e9, None, "USD"),
    ("Seoul on Dec. 18, 2019", "Dec. 18, 2019", "date", "2019-12-18", None, "date"),
    ("a five-fold increase", "five-fold", "ratio", 5, None, "x"),
    ("to US$5 billion in", "US$5 billion", "money", 5e9, None, "USD"),
    ("the 28,500-strong U.S. Forces Korea (USFK)", "28,500-strong", "count", 28500, None,
     "troops"),
    ("gets a $1 billion extra", "$1 billion", "money", 1e9, None, "USD"),
    ("Additional $1 Billion", "$1 Billion", "money", 1e9, None, "USD"),
    ("the 28,500 United States Forces Korea troops", "28,500 United States Forces Korea troops",
     "count", 28500, None, "troops"),
    ("up to $1 billion worth of U.S. weapons, officials", "$1 billion", "money", 1e9, None,
     "USD"),
    ("up to $1 billion worth of U.S. weapons by", "$1 billion", "money", 1e9, None, "USD"),
    ("weapons by the end of 2020", "by the end of 2020", "date", "2020-12-31", None,
     "deadline"),
    ("Washington, on Dec. 5, 2019", "Dec. 5, 2019", "date", "2019-12-05", None, "date"),
    ("the 28,500-strong U.S. Forces Korea under", "28,500-strong", "count", 28500, None,
     "troops"),
    ("About 28,500 U.S. troops", "28,500 U.S. troops", "count", 28500, None, "troops"),
    ("additional $500 million from", "$500 million", "money", 5e8, None, "USD"),
    ("lawmakers, Sept 23.", "Sept 23", "date", "--09-23", None, "date"),
    ("pay $5 billion for U.S. forces", "$5 billion", "money", 5e9, None, "USD"),
    ("It costs 3.5 trillion won", "3.5 trillion won", "money", 3.5e12, None, "KRW"),
    ("as of 2015.", "2015", "date", "2015", None, "date"),
    ("Tactic in 1969", "1969", "date", "1969", None, "date"),
    ("again in 1972", "1972", "date", "1972", None, "date"),
    ("Pull 4,000 Troops", "4,000 Troops", "count", 4000, None, "troops"),
    ("up to 4,000 troops", "4,000 troops", "count", 4000, None, "troops"),
    ("a 28,500-strong U.S. contingent", "28,500-strong", "count", 28500, None, "troops"),
    ("withdrawal of a U.S. brigade", "a U.S. brigade", "count", 1, None, "brigade"),
    ("typically 3,000 to 4,000 soldiers", "3,000 to 4,000 soldiers", "count", 3000, 4000,
     "troops"),
    ("contingent to $5 billion", "$5 billion", "money", 5e9, None, "USD"),
    ("more than five times what", "five times", "ratio", 5, None, "x"),
]
