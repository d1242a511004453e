"""GENIUS import and export: GENIUS's semantics, messy real files, safe parsing, round trips."""

from __future__ import annotations

import tomllib

import numpy as np
import pytest
import tomli_w
from typer.testing import CliRunner

from evidence.limits import run_limited
from pactlab.analysis import analyze
from pactlab.cli import app
from pactlab.errors import InteropError
from pactlab.interop import genius_scenario_data, read_genius, write_genius
from pactlab.model import compile_domain, load_scenario, parse_scenario
from scale.genius_data import DOMAINS, files, genius_utilities

DATA = files("Lease")[0].parent.parent.parent


def all_utilities(sc) -> np.ndarray:
    domain = compile_domain(sc)
    return domain.utilities(np.arange(domain.n_outcomes))


@pytest.mark.parametrize("name", list(DOMAINS))
def test_imported_utilities_equal_genius_for_every_outcome(name):
    domain, profiles = files(name)
    sc = read_genius(domain, profiles)
    u = all_utilities(sc)
    for p, profile in enumerate(profiles):
        expected, reservation = genius_utilities(domain, profile)
        np.testing.assert_allclose(u[:, p], expected, rtol=0, atol=1e-9)
        assert sc.parties[p].reservation == reservation


@pytest.mark.parametrize("name", list(DOMAINS))
def test_export_then_import_gives_the_same_utilities(name, tmp_path):
    sc = read_genius(*files(name))
    paths = write_genius(sc, tmp_path)
    again = read_genius(paths[0], paths[1:])
    np.testing.assert_allclose(all_utilities(again), all_utilities(sc), rtol=0, atol=1e-12)
    assert [p.reservation for p in again.parties] == [p.reservation for p in sc.parties]


def test_pactlab_scenario_round_trips_through_genius(tmp_path):
    sc = load_scenario(DATA / "split.toml")
    paths = write_genius(sc, tmp_path)
    again = read_genius(paths[0], paths[1:])
    np.testing.assert_allclose(all_utilities(again), all_utilities(sc), rtol=0, atol=1e-12)


@pytest.mark.parametrize("name", list(DOMAINS))
def test_toml_text_reads_back_to_the_same_data_and_scenario(tmp_path, name):
    """tomli-w writes the imported scenario; reading the text back gives the very same
    dict (floats bit for bit) and so the same validated scenario."""
    data = genius_scenario_data(*files(name))
    text = tomli_w.dumps(data)
    assert tomllib.loads(text) == data
    path = tmp_path / "imported.toml"
    path.write_text(text, encoding="utf-8")
    assert load_scenario(path).model_dump() == parse_scenario(data).model_dump()


def test_toml_text_of_messy_files_keeps_every_float_exactly(tmp_path):
    data = genius_scenario_data(*messy(tmp_path, w1="0.1", discount="0.3"), real_steps=7)
    again = tomllib.loads(tomli_w.dumps(data))
    assert again == data
    weights = again["parties"][0]["weights"]
    assert weights["colour"] == 0.1 and repr(weights["colour"]) == "0.1"


# --- messy files: what GENIUS accepts, pactlab accepts ----------------------------

DOMAIN = """<!-- exported by hand -->
<?xml version="1.0" encoding="UTF-8"?>
<negotiation_template>
<utility_space number_of_issues="0">
<objective index="0" name="root" type="objective" etype="objective">
  <issue index="1" name="Colour" type="discrete" etype="discrete" vtype="discrete">
    <item index="1" value="red"/><item index="2" value="blue"/>
  </issue>
  <issue index="2" name="Count" type="integer" etype="integer" vtype="integer"
         lowerbound="2" upperbound="6"/>
  <issue index="3" name="Price" type="real" etype="real" vtype="real">
    <range lowerbound="0.0" upperbound="10.0"/>
  </issue>
</objective>
</utility_space>
</negotiation_template>
"""

PROFILE = """<?xml version="1.0"?>
<utility_space>
<reservation value="0.125"/>
<discount_factor value="{discount}"/>
<objective index="0" name="root" type="objective" etype="objective">
  <weight index="1" value="{w1}"/><weight index="2" value="0.3"/><weight index="3" value="0.3"/>
  <issue index="1" name="Colour" type="discrete" etype="discrete" vtype="discrete">
    <item index="1" value="red" evaluation="4"/><item index="2" value="blue" evaluation="8"/>
  </issue>
  <issue index="2" name="Count" type="integer" etype="integer" vtype="integer">
    <evaluator ftype="linear" slope="0.3" offset="0.1"/>
  </issue>
  <issue index="3" name="Price" type="real" etype="real" vtype="real">
    <evaluator ftype="linear" parameter0="1.2" parameter1="-0.1"/>
  </issue>
</objective>
</utility_space>
"""


def write(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def messy(tmp_path, w1: str = "0.40016", discount: str = "0.9", profile: str = PROFILE):
    domain = write(tmp_path, "d.xml", DOMAIN)
    prof = write(tmp_path, "a.xml", profile.format(w1=w1, discount=discount))
    other = write(tmp_path, "b.xml", PROFILE.format(w1="0.4", discount="0"))
    return domain, [prof, other]


def test_messy_file_with_integer_and_real_issues_follows_genius(tmp_path):
    sc = read_genius(*messy(tmp_path), real_steps=5)
    domain = compile_domain(sc)
    assert domain.labels[1] == (2.0, 3.0, 4.0, 5.0, 6.0)
    assert domain.labels[2] == (0.0, 2.5, 5.0, 7.5, 10.0)
    a = sc.parties[0]
    assert a.reservation == 0.125 and a.utility.discount == 0.9 and a.utility.cap == 1.0
    assert sc.parties[1].utility.discount == 1.0  # a discount factor <= 0 means 1
    colour = np.array([0.5, 1.0])
    count = np.clip(0.3 * (np.arange(2, 7) - 2) + 0.1, 0, 1)
    price = np.clip(-0.1 * np.array([0.0, 2.5, 5.0, 7.5, 10.0]) + 1.2, 0, 1)
    raw = (0.40016 * colour[:, None, None] + 0.3 * count[None, :, None]
           + 0.3 * price[None, None, :])
    u = domain.utilities(np.arange(domain.n_outcomes))[:, 0]
    np.testing.assert_allclose(u, np.minimum(1.0, raw).ravel(), rtol=0, atol=1e-12)
    assert raw.max() > 1.0 and u.max() == 1.0  # weights sum to 1.00016: the cap binds


def test_missing_reservation_is_zero_and_zero_discount_is_none(tmp_path):
    profile = PROFILE.replace('<reservation value="0.125"/>\n', "")
    sc = read_genius(*messy(tmp_path, discount="0", profile=profile))
    assert sc.parties[0].reservation == 0.0 and sc.parties[0].utility.discount == 1.0


def test_import_then_analyze_on_the_command_line(tmp_path):
    domain, profiles = files("Merger")
    out = tmp_path / "ez.toml"
    runner = CliRunner()
    first = runner.invoke(app, ["import-genius", str(domain), *map(str, profiles), "-o", str(out)])
    assert first.exit_code == 0, first.output
    second = runner.invoke(app, ["analyze", str(out), "--json"])
    assert second.exit_code == 0, second.output
    assert analyze(out).solutions["nash"] is not None


@pytest.mark.parametrize(("change", "message"), [
    (lambda p: p.replace('<issue index="2" name="Count"', '<issue index="2" name="Amount"'),
     r"a.xml: no <issue name='Count'> although the domain has it"),
    (lambda p: p.replace('ftype="linear" slope', 'ftype="triangular" slope'),
     r"a.xml: issue 'Count' has evaluator type 'triangular'"),
    (lambda p: p.replace('value="blue" evaluation="8"', 'value="blue"'),
     r"a.xml: item 'blue' of issue 'Colour' has no evaluation"),
    (lambda p: p.replace('<weight index="2" value="0.3"/>', ""),
     r"a.xml: no <weight index=\"2\"> for issue 'Count'"),
    (lambda p: p.replace("</objective>", "</objectiv>"),
     r"a.xml: not well-formed XML at line \d+"),
])
def test_malformed_profiles_get_clear_errors(tmp_path, change, message):
    with pytest.raises(InteropError, match=message):
        read_genius(*messy(tmp_path, profile=change(PROFILE)))


@pytest.mark.parametrize("prolog", [
    '<!DOCTYPE u [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>',
    '<!DOCTYPE u [<!ENTITY x SYSTEM "file:///etc/passwd">]>',
])
def test_entities_and_external_references_are_refused(tmp_path, prolog):
    profile = PROFILE.replace('<?xml version="1.0"?>', '<?xml version="1.0"?>\n' + prolog)
    profile = profile.replace('name="root"', 'name="&b;"' if "ENTITY a" in prolog
                              else 'name="&x;"', 1)
    with pytest.raises(InteropError, match=r"a.xml: refused to parse: the file declares a "
                       r"document type \(<!DOCTYPE u>\)"):
        read_genius(*messy(tmp_path, profile=profile))


@pytest.mark.parametrize(("prolog", "named"), [
    ('<!DOCTYPE utility_space SYSTEM "http://genius.invalid/profile.dtd">',
     "http://genius.invalid/profile.dtd"),
    ('<!DOCTYPE utility_space PUBLIC "-//X//DTD GENIUS//EN" "profile.dtd">', "profile.dtd"),
])
def test_external_dtds_are_refused(tmp_path, prolog, named):
    """Not fetched either way, but an entity only that DTD defines would silently read as
    an empty string: the README promises external references are refused."""
    profile = PROFILE.replace('<?xml version="1.0"?>', '<?xml version="1.0"?>\n' + prolog)
    with pytest.raises(InteropError, match=r"declares a document type \(<!DOCTYPE "
                       rf"utility_space> with the external identifier '{named}'\)"):
        read_genius(*messy(tmp_path, profile=profile))


def test_unknown_issue_type_and_missing_profiles(tmp_path):
    domain, profiles = messy(tmp_path)
    bad = write(tmp_path, "d2.xml", DOMAIN.replace('type="real" etype="real"', 'type="set"'))
    with pytest.raises(InteropError, match="issue 'Price' has type 'set'"):
        read_genius(bad, profiles)
    with pytest.raises(InteropError, match="at least two profiles"):
        read_genius(domain, profiles[:1])


def test_export_refuses_what_genius_cannot_say(tmp_path):
    with pytest.raises(InteropError, match="party 'us' has interactions"):
        write_genius(load_scenario("sma-2019"), tmp_path)
    result = CliRunner().invoke(app, ["export-genius", "sma-2019", "-o", str(tmp_path)])
    assert result.exit_code == 2 and "Traceback" not in result.output


# --- numbers: every number GENIUS reads must be finite --------------------------------

@pytest.mark.parametrize(("change", "message"), [
    (lambda d: d.replace('upperbound="6"', 'upperbound="1e400"'),
     r"d.xml: <issue name='Count'> attribute upperbound='1e400': expected a finite whole "
     r"number \(issue 'Count' is an integer issue\)"),
    (lambda d: d.replace('lowerbound="2"', 'lowerbound="nan"'),
     r"d.xml: <issue name='Count'> attribute lowerbound='nan': expected a finite whole number"),
    (lambda d: d.replace('lowerbound="2" upperbound="6"', 'lowerbound="0.5" upperbound="3.5"'),
     r"d.xml: <issue name='Count'> attribute lowerbound='0.5': expected a finite whole number"),
    (lambda d: d.replace('<range lowerbound="0.0" upperbound="10.0"/>',
                         '<range lowerbound="-inf" upperbound="10.0"/>'),
     r"d.xml: <range> of issue 'Price' attribute lowerbound='-inf': expected a finite number"),
    (lambda d: d.replace('index="2" name="Count"', 'index="NaN" name="Count"'),
     r"d.xml: <issue name='Count'> attribute index='NaN': expected a finite whole number"),
])
def test_non_finite_or_fractional_domain_numbers_are_errors(tmp_path, change, message):
    _, profiles = messy(tmp_path)
    bad = write(tmp_path, "d.xml", change(DOMAIN))
    with pytest.raises(InteropError, match=message):
        read_genius(bad, profiles)


@pytest.mark.parametrize(("old", "new", "message"), [
    ('<weight index="1" value="{w1}"/>', '<weight index="1" value="nan"/>',
     r"<weight index='1'> attribute value='nan': expected a finite number"),
    ('<weight index="2" value="0.3"/>', '<weight index="2" value="inf"/>',
     r"<weight index='2'> attribute value='inf': expected a finite number"),
    ('value="blue" evaluation="8"', 'value="blue" evaluation="1e999"',
     r"<item value='blue'> of issue 'Colour' attribute evaluation='1e999': expected a finite"),
    ('slope="0.3"', 'slope="-Infinity"',
     r"<evaluator> of issue 'Count' attribute slope='-Infinity': expected a finite number"),
    ('offset="0.1"', 'offset="nan"', r"<evaluator> of issue 'Count' attribute offset='nan'"),
    ('parameter0="1.2"', 'parameter0="inf"',
     r"<evaluator> of issue 'Price' attribute parameter0='inf'"),
    ('parameter1="-0.1"', 'parameter1="NaN"',
     r"<evaluator> of issue 'Price' attribute parameter1='NaN'"),
    ('<reservation value="0.125"/>', '<reservation value="nan"/>',
     r"<reservation> attribute value='nan': expected a reservation utility between 0 and 1"),
    ('<discount_factor value="{discount}"/>', '<discount_factor value="nan"/>',
     r"<discount_factor> attribute value='nan': expected a discount factor between 0 and 1"),
    ('<weight index="3" value="0.3"/>', '<weight index="3" value="0.3"/><weight index="1" '
     'value="0.5"/>', r'<weight index="1"> appears more than once; expected one weight per'),
    ('<weight index="3" value="0.3"/>', '<weight index="3.5" value="0.3"/>',
     r"<weight index='3.5'> attribute index='3.5': expected a finite whole number"),
])
def test_non_finite_profile_numbers_and_repeated_weights_are_errors(tmp_path, old, new,
                                                                     message):
    assert old in PROFILE
    with pytest.raises(InteropError, match=r"a.xml: " + message):
        read_genius(*messy(tmp_path, profile=PROFILE.replace(old, new)))


@pytest.mark.parametrize(("target", "old", "new"), [
    ("d.xml", 'upperbound="6"', 'upperbound="1e400"'),
    ("d.xml", 'lowerbound="2"', 'lowerbound="nan"'),
    ("a.xml", '<weight index="1" value="0.40016"/>', '<weight index="1" value="nan"/>'),
])
def test_cli_import_of_non_finite_numbers_is_a_clear_error(tmp_path, target, old, new):
    domain, profiles = messy(tmp_path)
    path = tmp_path / target
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    out = tmp_path / "x.toml"
    result = CliRunner().invoke(app, ["import-genius", str(domain), *map(str, profiles),
                                      "-o", str(out)])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and "expected a finite" in result.output
    assert not out.exists()  # nothing written, so no `price = nan` reaches a scenario


# --- hostile or careless input: refused with exit 2 and one clear paragraph ----------

def cli(*args: str):
    return CliRunner().invoke(app, list(args))


@pytest.mark.parametrize(("old", "new", "message"), [
    ('<reservation value="0.125"/>', '<reservation value="5"/>',
     r"<reservation> attribute value='5': expected a reservation utility between 0 and 1"),
    ('<reservation value="0.125"/>', '<reservation value="-0.5"/>',
     r"<reservation> attribute value='-0.5': expected a reservation utility between 0 and 1"),
    ('<discount_factor value="{discount}"/>', '<discount_factor value="-1"/>',
     r"<discount_factor> attribute value='-1': expected a discount factor between 0 and 1"),
    ('<discount_factor value="{discount}"/>', '<discount_factor value="1.5"/>',
     r"<discount_factor> attribute value='1.5': expected a discount factor between 0 and 1"),
    ('<weight index="1" value="{w1}"/><weight index="2" value="0.3"/><weight index="3" '
     'value="0.3"/>', '<weight index="1" value="0"/><weight index="2" value="0.0"/>'
     '<weight index="3" value="-0"/>',
     r"every issue's <weight> is 0, so every outcome would be worth 0"),
    ('<weight index="2" value="0.3"/>', '<weight index="2" value="-0.3"/>',
     r'<weight index="2"> has value -0.3; expected a weight >= 0'),
])
def test_impossible_profile_values_are_refused(tmp_path, old, new, message):
    """GENIUS discards a discount outside [0, 1] with a warning; the rest can only be slips."""
    assert old in PROFILE
    domain, profiles = messy(tmp_path, profile=PROFILE.replace(old, new))
    with pytest.raises(InteropError, match=r"a.xml: " + message):
        read_genius(domain, profiles)
    result = cli("import-genius", str(domain), *map(str, profiles), "-o", str(tmp_path / "x.toml"))
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert not (tmp_path / "x.toml").exists()


def test_a_profile_given_as_the_domain_is_refused(tmp_path):
    _, (a, b) = messy(tmp_path)
    result = cli("import-genius", str(a), str(b), str(b), "-o", str(tmp_path / "x.toml"))
    assert result.exit_code == 2
    with pytest.raises(InteropError, match=r"a.xml: this is a GENIUS profile .* not a domain; "
                       "give the domain file first"):
        read_genius(a, [b, tmp_path / "other.xml"])


@pytest.mark.parametrize(("twice", "message"), [
    (lambda d, a, b: [a, b, a], r"a.xml: given twice \(as profiles 1 and 3\)"),
    (lambda d, a, b: [a, tmp_path_alias(a)], r"given twice \(as profiles 1 and 2\)"),
    (lambda d, a, b: [d, a], r"d.xml: given both as the domain and as profile 1"),
])
def test_the_same_file_twice_is_refused(tmp_path, twice, message):
    domain, (a, b) = messy(tmp_path)
    with pytest.raises(InteropError, match=message):
        read_genius(domain, twice(domain, a, b))
    result = cli("import-genius", str(domain), *map(str, twice(domain, a, b)),
                 "-o", str(tmp_path / "x.toml"))
    assert result.exit_code == 2 and "Traceback" not in result.output


def tmp_path_alias(path):
    """The same file by another spelling: `dir/./name`."""
    return path.parent / "." / path.name


@pytest.mark.parametrize("special", ["/dev/zero", "/dev/urandom", "fifo", "huge"])
def test_only_regular_files_of_bounded_size_are_read(tmp_path, special):
    """A device or a FIFO would be read without bound (or block forever); the size cap
    is checked before reading."""
    import os

    domain, profiles = messy(tmp_path)
    if special == "fifo":
        special = str(tmp_path / "fifo.xml")
        os.mkfifo(special)
    elif special == "huge":
        special = str(tmp_path / "huge.xml")
        with open(special, "wb") as f:
            f.truncate(33 * 1024 * 1024)  # sparse: no disk used
    for args in ([special, *profiles], [domain, special, profiles[1]]):
        result = cli("import-genius", *map(str, args), "-o", str(tmp_path / "x.toml"))
        assert result.exit_code == 2, result.output
        assert "not a regular file" in result.output or "larger than the limit" in result.output


# --- export: file names from ids never leave the output folder ------------------------

def _renamed(sc, scenario_id: str, party_ids: list[str]):
    parties = [p.model_copy(update={"id": pid}) for p, pid in zip(sc.parties, party_ids,
                                                                   strict=True)]
    return sc.model_copy(update={"id": scenario_id, "parties": parties})


@pytest.mark.parametrize(("scenario_id", "party_ids"), [
    ("../../x", ["../../../a", "b"]),
    ("/tmp/pactlab-escape", ["/etc/passwd", "..\\..\\b"]),
    ("..", [".", "a/b"]),
    ("ok", ["domain", "Domain"]),
])
def test_export_file_names_stay_inside_the_output_folder(tmp_path, scenario_id, party_ids):
    sc = _renamed(read_genius(*files("Lease")), scenario_id, party_ids)
    out = tmp_path / "deep" / "out"
    paths = write_genius(sc, out)
    assert len(set(paths)) == 3
    written = sorted(p.name for p in out.iterdir())
    assert written == sorted(p.name for p in paths)  # nothing else, nothing elsewhere
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file()) == written
    again = read_genius(paths[0], paths[1:])
    np.testing.assert_allclose(all_utilities(again), all_utilities(sc), rtol=0, atol=1e-12)


def test_export_from_a_scenario_file_with_a_traversing_id(tmp_path):
    text = (DATA / "split.toml").read_text(encoding="utf-8")
    sc = load_scenario(DATA / "split.toml")
    bad = tmp_path / "bad.toml"
    bad.write_text(text.replace(f'id = "{sc.id}"', 'id = "../../escaped"', 1), encoding="utf-8")
    out = tmp_path / "a" / "b" / "out"
    result = cli("export-genius", str(bad), "-o", str(out))
    assert "Traceback" not in result.output
    assert result.exit_code in (0, 2)  # 2 if the scenario loader refuses such an id
    outside = [p for p in tmp_path.rglob("*.xml") if out not in p.parents]
    assert outside == []


def test_a_refused_export_writes_nothing(tmp_path):
    """The second party's cap cannot be reproduced: not even the domain file is written."""
    sc = read_genius(*files("Lease"))
    landlord = sc.parties[1]
    heavy = landlord.model_copy(update={
        "weights": {k: 2 * w for k, w in landlord.weights.items()},
        "utility": landlord.utility.model_copy(update={"cap": None})})
    sc = sc.model_copy(update={"parties": [sc.parties[0], heavy]})
    out = tmp_path / "out"
    with pytest.raises(InteropError, match="lease_landlord' can reach utility"):
        write_genius(sc, out)
    assert not out.exists()
    (tmp_path / "kept").mkdir()
    (tmp_path / "kept" / "mine.txt").write_text("mine")
    with pytest.raises(InteropError):
        write_genius(sc, tmp_path / "kept")
    assert [p.name for p in (tmp_path / "kept").iterdir()] == ["mine.txt"]


def test_an_export_blocked_by_a_folder_writes_nothing(tmp_path):
    sc = read_genius(*files("Lease"))
    (tmp_path / f"{sc.id}-lease_landlord.xml").mkdir()
    with pytest.raises(InteropError, match="something other than a file is there; nothing "
                       "was written"):
        write_genius(sc, tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"{sc.id}-lease_landlord.xml"]


def _big_issue(tmp_path, n: int):
    """A domain whose first issue has `n` items, and two opposed profiles."""
    names = [f"v{i}" for i in range(n)]
    plain = "".join(f'<item index="{i + 1}" value="{v}"/>' for i, v in enumerate(names))
    small = '<issue index="2" name="S" type="discrete">{}</issue>'
    write(tmp_path, "big.xml", '<negotiation_template><utility_space><objective index="0" '
          f'name="r"><issue index="1" name="Big" type="discrete">{plain}</issue>'
          + small.format('<item index="1" value="a"/><item index="2" value="b"/>')
          + "</objective></utility_space></negotiation_template>")
    profiles = []
    for party, order in (("p", 1), ("q", -1)):
        items = "".join(f'<item index="{i + 1}" value="{v}" evaluation="{i + 1}"/>'
                        for i, v in enumerate(names[::order]))
        profiles.append(write(
            tmp_path, f"{party}.xml", '<utility_space><objective index="0" name="r">'
            f'<issue index="1" name="Big" type="discrete">{items}</issue>'
            + small.format('<item index="1" value="a" evaluation="1"/><item index="2" '
                           'value="b" evaluation="2"/>')
            + '<weight index="1" value="0.5"/><weight index="2" value="0.5"/></objective>'
            '<reservation value="0.1"/></utility_space>'))
    return tmp_path / "big.xml", profiles


def test_a_discrete_issue_of_100_000_items_imports_in_linear_time(tmp_path):
    """Checking each table against its issue's options was quadratic in the items (past
    120 s at 10^5); linear, the whole import takes a few seconds of CPU."""
    domain, profiles = _big_issue(tmp_path, 100_000)
    out = tmp_path / "big.toml"
    result = run_limited("import-genius", str(domain), *map(str, profiles), "-o", str(out),
                         "--json", cpu_seconds=40, memory_mib=3072)
    assert result.returncode == 0, result.stderr[-2000:]
    assert '"outcomes": 200000' in result.stdout
    sc = load_scenario(out)
    assert sc.parties[0].values["big"].table["v99999"] == 1.0
    assert sc.parties[1].values["big"].table["v99999"] == pytest.approx(1e-5)
