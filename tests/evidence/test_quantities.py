"""The forms the issue lists, and near misses that must not be taken for quantities."""

from __future__ import annotations

import pytest

from pactlab.evidence import extract, find_quantities


def only(text: str):
    found = find_quantities(text)
    assert len(found) == 1, [q.text for q in found]
    q = found[0]
    assert text[q.start:q.end] == q.text
    return q


@pytest.mark.parametrize(("text", "figure", "value", "currency"), [
    ("a demand of $5 billion a year", "$5 billion", 5e9, "USD"),
    ("to US$1 billion in", "US$1 billion", 1e9, "USD"),
    ("spending (61 trillion won)", "61 trillion won", 61e12, "KRW"),
    ("about RMB 7.3 billion.", "RMB 7.3 billion", 7.3e9, "CNY"),
    ("It costs 3.5 trillion won as", "3.5 trillion won", 3.5e12, "KRW"),
    ("an additional $500 million from", "$500 million", 5e8, "USD"),
    ("some 1,038.9 billion won", "1,038.9 billion won", 1038.9e9, "KRW"),
    ("roughly 5 billion dollars", "5 billion dollars", 5e9, "USD"),
    ("a budget of ¥5.3 trillion", "¥5.3 trillion", 5.3e12, "JPY"),
    ("paid €2bn", "€2bn", 2e9, "EUR"),
    ("paid $5m in fees", "$5m", 5e6, "USD"),
    ("pays 50,000 won a day", "50,000 won", 50000, "KRW"),
    ("costs 400 billion yuan", "400 billion yuan", 400e9, "CNY"),
])
def test_money(text, figure, value, currency):
    q = only(text)
    assert (q.kind, q.text, q.value, q.currency, q.unit) == ("money", figure, value, currency,
                                                             currency)


def test_money_range_scales_both_ends():
    q = only("between talks of $1-2 billion")
    assert (q.value, q.value_high) == (1e9, 2e9)


def test_money_values_are_exact_integers_when_whole():
    q = only("RMB 320.2 billion")
    assert q.value == 320_200_000_000 and isinstance(q.value, int)


def test_won_the_verb_is_not_money():
    assert find_quantities("Moon, who in 2017 won the election, and which one won") == [
        q for q in find_quantities("Moon, who in 2017 won the election, and which one won")
        if q.kind == "date"
    ]


@pytest.mark.parametrize(("text", "figure", "value", "unit"), [
    ("raise it to 5% of GDP.", "5% of GDP", 5, "% of GDP"),
    ("accounts for 2.3 percent of gross domestic product", "2.3 percent of gross domestic product",
     2.3, "% of GDP"),
    ("another 1.5% in", "1.5%", 1.5, "%"),
    ("a rise of 8.3 per cent", "8.3 per cent", 8.3, "%"),
    ("up 0.5 percentage points", "0.5 percentage points", 0.5, "percentage points"),
])
def test_percent(text, figure, value, unit):
    q = only(text)
    assert (q.kind, q.text, q.value, q.unit) == ("percent", figure, value, unit)


@pytest.mark.parametrize(("text", "figure", "value"), [
    ("a five-fold increase", "five-fold", 5),
    ("a fivefold increase", "fivefold", 5),
    ("a 5-fold rise", "5-fold", 5),
    ("more than five times what it pays now", "five times", 5),
])
def test_ratio(text, figure, value):
    q = only(text)
    assert (q.kind, q.text, q.value, q.unit) == ("ratio", figure, value, "x")


@pytest.mark.parametrize(("text", "figure", "value", "high", "unit"), [
    ("the 28,500-strong U.S. Forces Korea", "28,500-strong", 28500, None, "troops"),
    ("typically 3,000 to 4,000 soldiers, had", "3,000 to 4,000 soldiers", 3000, 4000, "troops"),
    ("to transfer one brigade-level force", "one brigade", 1, None, "brigade"),
    ("About 28,500 U.S. troops are", "28,500 U.S. troops", 28500, None, "troops"),
    ("two Army divisions", "two Army divisions", 2, None, "division"),
    ("some 4,500 personnel", "4,500 personnel", 4500, None, "troops"),
])
def test_count(text, figure, value, high, unit):
    q = only(text)
    assert (q.kind, q.text, q.value, q.value_high, q.unit) == ("count", figure, value, high,
                                                               unit)


@pytest.mark.parametrize(("text", "figure", "value", "unit"), [
    ("to rise by 2032 at", "by 2032", "2032", "deadline"),
    ("weapons by the end of 2020,", "by the end of 2020", "2020-12-31", "deadline"),
    ("in Seoul on Dec. 18, 2019. (Pool)", "Dec. 18, 2019", "2019-12-18", "date"),
    ("on 18 December 2019 in", "18 December 2019", "2019-12-18", "date"),
    ("published 2019-12-18 at", "2019-12-18", "2019-12-18", "date"),
    ("in December 2019 the", "December 2019", "2019-12", "date"),
    ("until the end of March 2026", "until the end of March 2026", "2026-03-31", "deadline"),
    ("lawmakers, Sept 23.", "Sept 23", "--09-23", "date"),
    ("first used in 1969 when", "1969", "1969", "date"),
    ("signed on Feb. 29, 2020 in", "Feb. 29, 2020", "2020-02-29", "date"),
    ("due on Feb. 29 each", "Feb. 29", "--02-29", "date"),
    ("on 3rd Sept., 2019 the", "3rd Sept., 2019", "2019-09-03", "date"),
])
def test_date(text, figure, value, unit):
    q = only(text)
    assert (q.kind, q.text, q.value, q.unit) == ("date", figure, value, unit)


@pytest.mark.parametrize(("text", "figure", "value", "high", "unit"), [
    ("the visit in late July or early August and", "late July or early August", "--07", "--08",
     "date"),
    ("postponed to after early August, which", "early August", "--08", None, "date"),
    ("by mid-September the", "by mid-September", "--09", None, "deadline"),
    ("in late July or early August 2025.", "late July or early August 2025", "2025-07",
     "2025-08", "date"),
])
def test_parts_of_months_are_month_level_dates(text, figure, value, high, unit):
    q = only(text)
    assert (q.kind, q.text, q.value, q.value_high, q.unit) == ("date", figure, value, high, unit)


@pytest.mark.parametrize("text", ["We may meet in March.", "It may be late.", "In May talks"])
def test_months_without_a_part_day_or_year_are_not_dates(text):
    assert find_quantities(text) == []


@pytest.mark.parametrize("text", [
    "Original: https://www.toutiao.com/article/1836953309205703/",
    "the G7 Summit and the 70th anniversary",
    "the fourth round of talks, one official said",
    "Gat-Geun Tactic (41:05), one string",
    "on the 6th, three days after, six hours before",
    "Feb. 30, 2019",
    "Feb. 29, 2019",
    "2019-13-01",  # ISO has no month 13 (a day-first reading would invent January 13)
    "",
])
def test_not_quantities(text):
    assert find_quantities(text) == []


def test_sentence_is_the_one_around_the_figure():
    text = "The U.S. wants more. Seoul pays 1 trillion won now. Talks go on."
    q = extract(text).quantities[0]
    assert q.sentence == "Seoul pays 1 trillion won now."


def test_sentence_does_not_split_after_abbreviations():
    text = "He spoke in Washington, D.C. on Dec. 5, 2019. Next sentence."
    q = extract(text).quantities[0]
    assert q.sentence == "He spoke in Washington, D.C. on Dec. 5, 2019."


def test_usd_uses_the_fx_year_of_the_text():
    ev = extract("On Dec. 18, 2019, Seoul paid 1,165.8016 billion won.")
    money = next(q for q in ev.quantities if q.kind == "money")
    assert ev.fx.year == 2019 and "Dec. 18, 2019" in ev.fx.basis
    assert money.usd == pytest.approx(1e9)


@pytest.mark.parametrize(("text", "figure", "value", "unit"), [
    ("In 2019 American troops left", "2019", "2019", "date"),
    ("in 2019 U.S. troops withdrew", "2019", "2019", "date"),
    ("By 2025 Korean soldiers", "By 2025", "2025", "deadline"),
    ("since 2018 Army divisions", "2018", "2018", "date"),
    ("until 2030 marines stay", "until 2030", "2030", "deadline"),
])
def test_a_governed_year_before_troops_is_a_date_not_a_count(text, figure, value, unit):
    q = only(text)
    assert (q.kind, q.text, q.value, q.unit) == ("date", figure, value, unit)


@pytest.mark.parametrize(("text", "figure", "value"), [
    ("sent 2,019 troops", "2,019 troops", 2019),
    ("sent 2000 troops", "2000 troops", 2000),
    ("of 2019 soldiers", "2019 soldiers", 2019),
])
def test_counts_in_a_count_form_stay_counts(text, figure, value):
    q = only(text)
    assert (q.kind, q.text, q.value) == ("count", figure, value)


@pytest.mark.parametrize("text", [
    "a division of labor",
    "one Senate division",
    "the House has one division",
    "a squadron of reporters",
    "two Commerce divisions",
])
def test_unit_words_outside_a_military_context_are_not_counts(text):
    assert find_quantities(text) == []


@pytest.mark.parametrize(("text", "figure", "value", "unit"), [
    ("withdraw one brigade", "one brigade", 1, "brigade"),
    ("one brigade-level force of U.S. troops", "one brigade", 1, "brigade"),
    ("the withdrawal of a U.S. brigade", "a U.S. brigade", 1, "brigade"),
    ("an armored division", "an armored division", 1, "division"),
    ("three infantry battalions", "three infantry battalions", 3, "battalion"),
    ("two U.S. Army divisions", "two U.S. Army divisions", 2, "division"),
    ("one Marine squadron", "one Marine squadron", 1, "squadron"),
])
def test_military_units_are_counted(text, figure, value, unit):
    q = only(text)
    assert (q.kind, q.text, q.value, q.unit) == ("count", figure, value, unit)


def test_a_clause_year_qualifier_sets_the_rates_of_its_amount():
    text = ("On Dec. 18, 2019, Seoul paid 1 trillion won. It costs 3.5 trillion won as of 2015. "
            "It was 2 trillion won in 2016, and 1 trillion won in 2018; 5 trillion won later.")
    usd = {q.text + str(q.start): q.usd for q in extract(text).quantities if q.kind == "money"}
    values = list(usd.values())
    assert values[0] == round(1e12 / 1165.8016, 2)   # document year 2019
    assert values[1] == round(3.5e12 / 1130.96, 2)   # as of 2015
    assert values[2] == round(2e12 / 1159.3422, 2)     # in 2016
    assert values[3] == round(1e12 / 1099.2926, 2)   # in 2018, its own clause
    assert values[4] == round(5e12 / 1165.8016, 2)   # after ";": document year


def test_seed_002_indirect_costs_use_2015_rates(seed_002):
    q = next(q for q in seed_002.quantities if q.text == "3.5 trillion won")
    assert seed_002.fx.year == 2019 and q.usd == round(3.5e12 / 1130.96, 2)


@pytest.mark.parametrize(("text", "value"), [("ſix troops", 6), ("nıne troops", 9)])
def test_number_words_in_any_case_re_reads_as_the_word_are_parsed(text, value):
    """re.IGNORECASE matches "ſ" with "s" and "ı" with "i"; parsing once raised a
    decimal.InvalidOperation traceback on such a word."""
    q = only(text)
    assert (q.kind, q.value, q.unit) == ("count", value, "troops")

