"""Hypothesis strategies for hostile input, one per input format pactlab reads.

Each strategy draws a *case*: the command-line arguments (``{dir}`` stands for the folder
the files are written to) and the files themselves. Valid inputs are mutated the ways files
really go wrong — numbers replaced by huge, tiny, negative or non-finite ones, lines
dropped or repeated, values nested hundreds of levels deep, strings replaced by control
characters, files cut short — and text inputs are built from the tokens the extractors
react to, so that the worst cases of their regular expressions are reached.
"""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

from hypothesis import strategies as st

DATA = Path(__file__).resolve().parents[1] / "data"

NUMBER = re.compile(r"(?<![\w.])-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?(?![\w.])")
HOSTILE_NUMBERS = ["1e308", "-1e308", "1e-320", "1e30", "-0.5", "35", "0", "-1", "inf", "nan",
                   "-inf", "99999999999999999999999", "1_000_000_000", "0x7fffffff", "2e9",
                   "4294967296", "1.7976931348623157e308"]
HOSTILE_STRINGS = ["", " ", "\u0000", "\u0007bell", "a\nb", "../../x", "/etc/passwd", "é" * 300,
                   "x" * 5000, "${HOME}", "<script>alert(1)</script>", "' OR 1=1 --",
                   "\u202e", "keep", "payment", "us"]


def _builtin_text(name: str) -> str:
    return (resources.files("pactlab.scenarios") / name).read_text(encoding="utf-8")


@st.composite
def _mutated(draw: st.DrawFn, text: str) -> str:
    """`text` after one to three random edits of the kinds real files suffer."""
    lines = text.split("\n")
    for _ in range(draw(st.integers(1, 3))):
        op = draw(st.sampled_from(["number", "number", "drop", "repeat", "nest", "string",
                                   "truncate", "bytes", "array_table", "huge_list"]))
        if op == "number":
            spots = [(i, m) for i, line in enumerate(lines) for m in NUMBER.finditer(line)]
            if spots:
                i, m = draw(st.sampled_from(spots))
                new = draw(st.one_of(st.sampled_from(HOSTILE_NUMBERS),
                                     st.floats(allow_nan=False).map(repr),
                                     st.integers(-(10**30), 10**30).map(str)))
                lines[i] = lines[i][:m.start()] + new + lines[i][m.end():]
        elif op == "drop" and len(lines) > 1:
            del lines[draw(st.integers(0, len(lines) - 1))]
        elif op == "repeat" and lines:
            i = draw(st.integers(0, len(lines) - 1))
            lines.insert(i, lines[i])
        elif op == "nest":
            depth = draw(st.sampled_from([10, 200, 1000, 5000]))
            opener, closer = draw(st.sampled_from([("[", "]"), ("{a = ", "}")]))
            lines.append(f"zz_nested = {opener * depth}1{closer * depth}")
        elif op == "string":
            strings = [(i, m) for i, line in enumerate(lines)
                       for m in re.finditer(r'"[^"\n]*"', line)]
            if strings:
                i, m = draw(st.sampled_from(strings))
                new = draw(st.one_of(st.sampled_from(HOSTILE_STRINGS), st.text(max_size=40)))
                escaped = new.replace("\\", "\\\\").replace('"', '\\"')
                lines[i] = lines[i][:m.start()] + f'"{escaped}"' + lines[i][m.end():]
        elif op == "truncate":
            joined = "\n".join(lines)
            cut = draw(st.integers(0, max(len(joined) - 1, 0)))
            lines = joined[:cut].split("\n")
        elif op == "bytes":
            lines.append(draw(st.text(max_size=30)))
        elif op == "array_table":
            tables = [i for i, line in enumerate(lines) if re.match(r"^\[[^\[]", line)]
            if tables:
                i = draw(st.sampled_from(tables))
                lines[i] = "[" + lines[i] + "]"
        elif op == "huge_list":
            n = draw(st.sampled_from([1000, 100_000]))
            lines.append("zz_list = [" + ", ".join(["1"] * n) + "]")
    return "\n".join(lines)


def _scenario_case(text: str) -> st.SearchStrategy[dict]:
    command = st.sampled_from([["validate", "{dir}/s.toml"],
                               ["analyze", "{dir}/s.toml", "--json", "--memory", "256M"],
                               ["validate", "--json", "{dir}/s.toml"]])
    return st.builds(lambda t, c: {"args": c, "files": {"s.toml": t}}, _mutated(text), command)


TINY_SCENARIO = """id = "tiny"
title = "Tiny"
as_of = "2020-01-01"

[[issues]]
id = "price"
name = "Price"
range = [0.0, 10.0]
steps = 11
status_quo = 5.0

[[issues]]
id = "color"
name = "Color"
options = ["red", "blue"]
status_quo = "red"

[[parties]]
id = "a"
name = "A"
reservation = 0.2
weights = { price = 0.7, color = 0.3 }
[parties.values.price]
kind = "linear"
worst = 0.0
best = 10.0
[parties.values.color]
kind = "table"
table = { red = 1.0, blue = 0.0 }
[[parties.interactions]]
when = { price = [0.0, 5.0], color = ["blue"] }
value = 0.1

[[parties]]
id = "b"
name = "B"
reservation = 0.3
weights = { price = 0.5, color = 0.5 }
[parties.values.price]
kind = "piecewise"
points = [[0.0, 1.0], [4.0, 0.6], [10.0, 0.0]]
[parties.values.color]
kind = "table"
table = { red = 0.2, blue = 1.0 }
[[parties.limits]]
issue = "price"
max = 9.0
"""


def scenario() -> st.SearchStrategy[dict]:
    """Mutated scenario files: the built-ins and a tiny scenario with every value kind."""
    return st.one_of(_scenario_case(TINY_SCENARIO), _scenario_case(_builtin_text("sma-2019.toml")))


def stakeholders_toml() -> st.SearchStrategy[dict]:
    """Mutated stakeholder TOML files for `forecast`."""
    base = _builtin_text("sma-2019.stakeholders.toml")
    model = st.sampled_from(["bdm", "smp", "mean", "median", "condorcet"])
    return st.builds(lambda t, m: {"args": ["forecast", "{dir}/s.stakeholders.toml", "-m", m,
                                            "--rounds", "5", "--json"],
                                   "files": {"s.stakeholders.toml": t}},
                     _mutated(base), model)


CELL = st.one_of(st.sampled_from(HOSTILE_NUMBERS + HOSTILE_STRINGS + ["", "50", "0.5", "1"]),
                 st.floats(allow_nan=True).map(repr), st.text(max_size=12))


# A well-formed stakeholder row: id, name, capability, position on [0, 10], salience.
VALID_ROW = st.tuples(st.from_regex(r"[a-z][a-z0-9_]{0,7}", fullmatch=True),
                      st.text(alphabet="ABCDEFGH ", min_size=1, max_size=8),
                      st.floats(0, 100).map(repr), st.floats(0, 10).map(repr),
                      st.floats(0, 1).map(repr)).map(list)


@st.composite
def _csv_rows(draw: st.DrawFn, header: list[str]) -> str:
    """Rows that are mostly well formed (so that some tables reach the models), with
    hostile cells and rows of the wrong width mixed in."""
    rows = [",".join(header)]
    for _ in range(draw(st.integers(0, 12))):
        cells = draw(VALID_ROW)
        damage = draw(st.sampled_from(["none", "none", "cell", "width"]))
        if damage == "cell":
            cells[draw(st.integers(0, len(cells) - 1))] = draw(CELL)
        elif damage == "width":
            width = draw(st.sampled_from([len(header) - 1, len(header) + 2]))
            cells = (cells + [draw(CELL) for _ in range(2)])[:width]
        rows.append(",".join('"' + c.replace('"', '""') + '"' if "," in c or "\n" in c
                             else c for c in cells))
    return "\n".join(rows) + "\n"


def stakeholders_csv() -> st.SearchStrategy[dict]:
    """pactlab stakeholder CSV tables, mostly well formed, with hostile cells and rows of
    the wrong width."""
    header = ["actor", "name", "capability", "position.payment", "salience.payment"]
    model = st.sampled_from(["bdm", "smp", "median"])
    return st.builds(lambda t, m: {"args": ["forecast", "{dir}/t.csv", "-m", m, "--rounds",
                                            "5", "--json"], "files": {"t.csv": t}},
                     _csv_rows(header), model)


def ktab_csv() -> st.SearchStrategy[dict]:
    """Mutated KTAB CSV tables (title line, header, actor rows)."""
    base = (DATA / "forecast" / "dummyData_3Dim.csv").read_text(encoding="utf-8")
    model = st.sampled_from(["bdm", "smp"])
    return st.builds(lambda t, m: {"args": ["forecast", "{dir}/k.csv", "-m", m, "--rounds", "5",
                                            "--json"], "files": {"k.csv": t}},
                     _mutated(base), model)


def ktab_xml() -> st.SearchStrategy[dict]:
    """Mutated KTAB XML scenarios."""
    base = (DATA / "forecast" / "dummyData_3Dim.xml").read_text(encoding="utf-8")
    return st.builds(lambda t: {"args": ["forecast", "{dir}/k.xml", "-m", "smp", "--rounds", "5",
                                         "--json"], "files": {"k.xml": t}},
                     _mutated(base))


@st.composite
def _genius(draw: st.DrawFn) -> dict:
    n_issues = draw(st.integers(1, 3))
    items = [draw(st.integers(1, 4)) for _ in range(n_issues)]
    issues = "".join(
        f'<issue index="{i + 1}" name="i{i}" etype="discrete" type="discrete" vtype="discrete">'
        + "".join(f'<item index="{k + 1}" value="v{k}"/>' for k in range(n))
        + "</issue>" for i, n in enumerate(items))
    domain = ('<negotiation_template><utility_space number_of_issues="'
              f'{n_issues}"><objective index="0" name="root" type="objective" '
              f'etype="objective">{issues}</objective></utility_space></negotiation_template>')

    def profile() -> str:
        body = "".join(
            f'<issue index="{i + 1}" name="i{i}" etype="discrete" type="discrete">'
            + "".join(f'<item index="{k + 1}" value="v{k}" evaluation="{draw(CELL_NUM)}"/>'
                      for k in range(n))
            + "</issue>" for i, n in enumerate(items))
        weights = "".join(f'<weight index="{i + 1}" value="{draw(CELL_NUM)}"/>'
                          for i in range(n_issues))
        return (f'<utility_space><objective index="0" name="root" type="objective" '
                f'etype="objective">{body}{weights}</objective>'
                f'<reservation value="{draw(CELL_NUM)}"/>'
                f'<discount_factor value="{draw(CELL_NUM)}"/></utility_space>')

    files = {"domain.xml": domain, "a.xml": profile(), "b.xml": profile()}
    name = draw(st.sampled_from(sorted(files)))
    files[name] = draw(_mutated(files[name].replace("><", ">\n<")))
    return {"args": ["import-genius", "{dir}/domain.xml", "{dir}/a.xml", "{dir}/b.xml", "-o",
                     "{dir}/out.toml"], "files": files}


CELL_NUM = st.one_of(st.sampled_from(["0.5", "1", "0", "-1", "5", "1e308", "nan", "", "x"]),
                     st.floats(0, 1).map(repr))


def genius() -> st.SearchStrategy[dict]:
    """GENIUS domain and profile XML, generated then mutated (values, nesting, truncation)."""
    return _genius()


TOKENS = ["$1 billion", "$", "1", "1.5", "trillion", "won", "billion", "million", " ", ", ",
          "; ", ". ", "(", ")", "%", "percent", "of GDP", "Moon Jae-in", "Moon", "Trump",
          "U.S. ", "South Korea", "Seoul", "five-fold", "troops", "28,500", "in 2019",
          "as of 2020", "late July or early August", "January 2021", "about", "\n", "¥", "€",
          "₩", "1,000,000,000,000", "0.000001", "x" * 50]


def text() -> st.SearchStrategy[dict]:
    """Text for `extract`, made of the tokens the extractors react to, plus raw noise."""
    body = st.one_of(st.lists(st.sampled_from(TOKENS), max_size=400).map("".join),
                     st.text(max_size=500))
    return st.builds(lambda t: {"args": ["extract", "{dir}/news.txt", "--json"],
                                "files": {"news.txt": t}}, body)


OFFER_TOKENS = ["payment=1.2", "troops=keep", "payment=", "=keep", "payment=1e308",
                "payment=nan", "payment=-1", "nosuch=1", ",", ",,", "troops=", "duration=3",
                "payment=1.2,payment=2", "troops=KEEP", " ", "é", "payment=0x10"]


def offer() -> st.SearchStrategy[dict]:
    """Offers typed on the command line for `evaluate`."""
    spec = st.one_of(st.lists(st.sampled_from(OFFER_TOKENS), min_size=1, max_size=6).map(",".join),
                     st.text(min_size=1, max_size=60))
    return st.builds(lambda s: {"args": ["evaluate", "sma-2019", "--offer", s, "--json"],
                                "files": {}}, spec)


FORMATS = {
    "scenario": scenario(),
    "stakeholders-toml": stakeholders_toml(),
    "stakeholders-csv": stakeholders_csv(),
    "ktab-csv": ktab_csv(),
    "ktab-xml": ktab_xml(),
    "genius": genius(),
    "text": text(),
    "offer": offer(),
}
