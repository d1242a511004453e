"""GENIUS import and export: GENIUS's semantics, messy real files, safe parsing, round trips."""

from __future__ import annotations

import numpy as np
import pytest
from typer.testing import CliRunner

from pactlab.analysis import analyze
from pactlab.cli import app
from pactlab.errors import InteropError
from pactlab.interop import genius_scenario_data, read_genius, write_genius
from pactlab.interop.toml_out import dumps
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


def test_toml_text_reads_back_to_the_same_scenario(tmp_path):
    data = genius_scenario_data(*files("Orchard"))
    path = tmp_path / "bbq.toml"
    path.write_text(dumps(data), encoding="utf-8")
    assert load_scenario(path).model_dump() == parse_scenario(data).model_dump()


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


def test_missing_reservation_is_zero_and_big_discount_is_one(tmp_path):
    profile = PROFILE.replace('<reservation value="0.125"/>\n', "")
    sc = read_genius(*messy(tmp_path, discount="1.5", profile=profile))
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
    with pytest.raises(InteropError, match="declares XML entities or external references"):
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
     r"<reservation> attribute value='nan': expected a finite number"),
    ('<discount_factor value="{discount}"/>', '<discount_factor value="nan"/>',
     r"<discount_factor> attribute value='nan': expected a finite number"),
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
