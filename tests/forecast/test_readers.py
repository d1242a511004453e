"""Readers: the same table from every format, and errors that name the row and column."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from pactlab.errors import PactlabError, UnknownNameError
from pactlab.forecast import (
    StakeholderError,
    load_stakeholders,
    read_ktab_csv,
    read_ktab_xml,
)

from .conftest import DATA


def test_ktab_csv_and_xml_agree(ktab3):
    xml = read_ktab_xml(DATA / "dummyData_3Dim.xml")
    assert ktab3.actors == xml.actors == tuple(f"SActor-0{k}" for k in range(7))
    assert ktab3.dimension_ids == xml.dimension_ids == ["Pstn1", "Pstn2", "Pstn3"]
    np.testing.assert_allclose(ktab3.capability, xml.capability)
    np.testing.assert_allclose(ktab3.position, xml.position)
    np.testing.assert_allclose(ktab3.salience, xml.salience)
    assert ktab3.position[0].tolist() == [75.79, 6.37, 70.45]
    assert ktab3.salience[0].tolist() == pytest.approx([0.4953, 0.0591, 0.2815])
    assert ktab3.dimensions[0].low == 0.0 and ktab3.dimensions[0].high == 100.0
    assert ktab3.id == "DummyData_3Dim"


def test_pactlab_csv(eu):
    assert eu.n_actors == 10 and eu.dimension_ids == ["position"]
    assert eu.actors[0] == "Netherlands" and eu.capability[0] == 0.08


def _write(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_negative_power_names_row_and_column(tmp_path):
    p = _write(tmp_path, "bad.csv", "Actor,Capability,Position,Salience\nA,1,4,0.5\nB,-2,5,0.5\n")
    with pytest.raises(StakeholderError) as e:
        load_stakeholders(p)
    msg = str(e.value)
    assert "bad.csv" in msg and "row 3 (B)" in msg and "'capability'" in msg
    assert "non-negative" in msg


def test_salience_out_of_range_names_row_and_column(tmp_path):
    p = _write(tmp_path, "bad.csv",
               "actor,capability,position.x,salience.x\nA,1,4,0.5\nB,2,5,1.5\n")
    with pytest.raises(StakeholderError, match=r"row 3 \(B\), column 'salience.x'.*\[0, 1\]"):
        load_stakeholders(p)


def test_missing_dimension_column_in_csv(tmp_path):
    p = _write(tmp_path, "bad.csv", "actor,capability,position.x,salience.x,position.y\n"
                                    "A,1,4,0.5,3\nB,2,5,0.5,3\n")
    with pytest.raises(StakeholderError, match=r"salience\.y"):
        load_stakeholders(p)


def test_empty_cell_in_csv(tmp_path):
    p = _write(tmp_path, "bad.csv", "Actor,Capability,Position,Salience\nA,1,4,0.5\nB,2,,0.5\n")
    with pytest.raises(StakeholderError, match=r"row 3, column 'position'"):
        load_stakeholders(p)


def test_ktab_csv_errors(tmp_path):
    head = "X,desc,2,2,\nActor,Description,Power,Pstn1,Sal1,Pstn2,Sal2,\n"
    p = _write(tmp_path, "k.csv", head + "A,d,10,50,40,50,40,\nB,d,10,50,40,50,,\n")
    with pytest.raises(StakeholderError, match=r"row 4 \(B\), column 'Sal2'"):
        read_ktab_csv(p)
    p = _write(tmp_path, "k.csv", head + "A,d,10,50,40,50,40,\nB,d,-1,50,40,50,40,\n")
    with pytest.raises(StakeholderError, match=r"row 4 \(B\), column 'Power'.*non-negative"):
        read_ktab_csv(p)
    p = _write(tmp_path, "k.csv", head + "A,d,10,50,40,50,40,\nB,d,1,50,140,50,40,\n")
    with pytest.raises(StakeholderError, match=r"row 4 \(B\), column 'Sal1'.*\[0, 100\]"):
        read_ktab_csv(p)
    p = _write(tmp_path, "k.csv", head + "A,d,10,50,70,50,40,\nB,d,1,50,40,50,40,\n")
    with pytest.raises(StakeholderError, match=r"row 3 \(A\).*add up to 110"):
        read_ktab_csv(p)
    p = _write(tmp_path, "k.csv", head + "A,d,10,50,40,150,40,\nB,d,1,50,40,50,40,\n")
    with pytest.raises(StakeholderError, match=r"row 3 \(A\), column 'Pstn2'.*\[0, 100\]"):
        read_ktab_csv(p)


def test_ktab_xml_errors(tmp_path):
    text = (DATA / "dummyData_3Dim.xml").read_text()
    bad = text.replace("<dSal>30.33</dSal>", "", 1)
    with pytest.raises(StakeholderError, match=r"Actor\[2\] \(SActor-01\).*Salience"):
        read_ktab_xml(_write(tmp_path, "k.xml", bad))
    bad = text.replace("<capability>53.393</capability>", "<capability>-5</capability>")
    with pytest.raises(StakeholderError, match=r"SActor-01.*capability"):
        read_ktab_xml(_write(tmp_path, "k.xml", bad))
    with pytest.raises(StakeholderError, match="XML"):
        read_ktab_xml(_write(tmp_path, "k.xml", "<Scenario><oops></Scenario>"))


TOML_OK = """
id = "t"
[[dimensions]]
id = "x"
unit = "%"
range = [0, 10]
[[actors]]
id = "a"
capability = { value = 2, basis = { assumption = "big" } }
position = { x = 3 }
salience = { x = 0.5 }
[[actors]]
id = "b"
capability = 1
position = { x = 7 }
salience = { x = 0.5 }
"""


def test_toml_reader_and_errors(tmp_path):
    sh = load_stakeholders(_write(tmp_path, "t.toml", TOML_OK))
    assert sh.actors == ("a", "b") and sh.capability.tolist() == [2.0, 1.0]
    assert sh.bases["actors.a.capability"] == {"assumption": "big"}
    bad = TOML_OK.replace("position = { x = 7 }", "position = { }")
    with pytest.raises(StakeholderError, match=r"actors\[1\].position.x: actor 'b': missing"):
        load_stakeholders(_write(tmp_path, "t.toml", bad))
    bad = TOML_OK.replace("position = { x = 7 }", "position = { x = 12 }")
    with pytest.raises(StakeholderError, match=r"actors\[1\].position.x: actor 'b'.*\[0, 10\]"):
        load_stakeholders(_write(tmp_path, "t.toml", bad))
    bad = TOML_OK.replace("capability = 1", "capability = -1")
    with pytest.raises(StakeholderError, match=r"actors\[1\].capability: actor 'b'"):
        load_stakeholders(_write(tmp_path, "t.toml", bad))
    bad = TOML_OK.replace("salience = { x = 0.5 }\n[[actors]]", "salience = { x = 2 }\n[[actors]]")
    with pytest.raises(StakeholderError, match=r"actors\[0\].salience.x: actor 'a'"):
        load_stakeholders(_write(tmp_path, "t.toml", bad))
    bad = TOML_OK.replace("position = { x = 3 }", "position = { x = 3, y = 1 }")
    with pytest.raises(StakeholderError, match=r"unknown dimension 'y'"):
        load_stakeholders(_write(tmp_path, "t.toml", bad))


def test_unknown_source_and_type(tmp_path):
    with pytest.raises(UnknownNameError, match="sma-2019"):
        load_stakeholders("no-such-scenario")
    with pytest.raises(PactlabError, match="unknown file type"):
        load_stakeholders(_write(tmp_path, "t.json", "{}"))


def test_scenario_file_uses_the_stakeholder_set_beside_it(tmp_path):
    scen = _write(tmp_path, "deal.toml", 'id = "deal"\n[[issues]]\nid = "x"\n')
    with pytest.raises(StakeholderError, match=r"scenario file.*deal\.stakeholders\.toml"):
        load_stakeholders(scen)
    _write(tmp_path, "deal.stakeholders.toml", TOML_OK)
    assert load_stakeholders(scen).actors == ("a", "b")


@pytest.mark.parametrize("text", [
    "T,d,2,1\nActor,Description,Power\nA,x,1,2,3\nB,y,1,2,3\n",
    "T,d,2,3\nActor,Description,Power,Pstn1,Sal1\nA,x,1,2,3,4,5,6,7\nB,y,1,2,3,4,5,6,7\n",
])
def test_ktab_csv_short_header(tmp_path, text):
    p = _write(tmp_path, "k.csv", text)
    with pytest.raises(StakeholderError, match=r"k\.csv, row 2 \(header\).*expected") as e:
        load_stakeholders(p)
    assert "Pstn1,Sal1" in str(e.value)


@pytest.mark.parametrize(("cells", "column"), [
    ("A,1e308,1,0.5", "capability"), ("A,1,1e308,0.5", "position"),
    ("A,1,-2e12,0.5", "position")])
def test_huge_finite_inputs_are_refused(tmp_path, cells, column):
    p = _write(tmp_path, "big.csv", f"actor,capability,position,salience\n{cells}\nB,1,2,0.5\n")
    with pytest.raises(StakeholderError, match=rf"row 2 \(A\), column '{column}'.*below 1e\+12"):
        load_stakeholders(p)


def test_huge_range_is_refused(tmp_path):
    bad = TOML_OK.replace("range = [0, 10]", "range = [0, 1e300]")
    with pytest.raises(StakeholderError,
                       match=r"dimensions\[0\].range\[1\]: dimension 'x': .*below"):
        load_stakeholders(_write(tmp_path, "t.toml", bad))


def test_directory_source_says_directory(tmp_path):
    with pytest.raises(StakeholderError, match="is a directory") as e:
        load_stakeholders(tmp_path)
    assert "unknown file type" not in str(e.value)


BOMB = """<?xml version="1.0"?>
<!DOCTYPE Scenario [
<!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
]>
<Scenario><name>&c;</name></Scenario>
"""
EXTERNAL = """<?xml version="1.0"?>
<!DOCTYPE Scenario [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<Scenario><name>&x;</name></Scenario>
"""


@pytest.mark.parametrize("text", [BOMB, EXTERNAL], ids=["entity-bomb", "external-entity"])
def test_ktab_xml_refuses_entities_plainly(tmp_path, text):
    with pytest.raises(StakeholderError) as e:
        load_stakeholders(_write(tmp_path, "k.xml", text))
    msg = str(e.value)
    assert "k.xml" in msg and "XML entity declarations" in msg and "(defusedxml)" in msg
    assert "Forbidden(" not in msg and "root:" not in msg


def test_ktab_csv_is_known_by_its_title_line_and_read_by_position(tmp_path):
    """KTAB's own examples name their columns differently (Influence, Policy Position,
    Policy Salience); KTAB reads them by position, so does pactlab, keeping the names."""
    p = tmp_path / "policy.csv"
    p.write_text('Policy,"One policy dimension",3,1,\n'
                 "Actor,Description,Influence,Policy Position,Policy Salience,\n"
                 "Gov,Government,60,20,80,\nOpp,Opposition,30,90,70,\nBiz,Business,10,60,40,\n")
    sh = load_stakeholders(p)
    assert sh.dimension_ids == ["Policy Position"]
    assert sh.actors == ("Gov", "Opp", "Biz") and sh.names[0] == "Government"
    np.testing.assert_array_equal(sh.capability, [60, 30, 10])
    np.testing.assert_array_equal(sh.position[:, 0], [20, 90, 60])
    np.testing.assert_allclose(sh.salience[:, 0], [0.8, 0.7, 0.4])
    assert (sh.dimensions[0].low, sh.dimensions[0].high) == (0.0, 100.0)
    # same numbers under KTAB's other header give the same table
    q = tmp_path / "pstn.csv"
    q.write_text(p.read_text().replace("Influence,Policy Position,Policy Salience",
                                       "Power,Pstn1,Sal1"))
    other = load_stakeholders(q)
    np.testing.assert_array_equal(other.position, sh.position)
    assert other.dimension_ids == ["Pstn1"]


def test_uncertain_block_is_part_of_the_schema(tmp_path):
    """`[[uncertain]]` priors (the sweep layer's) validate with the file: a good entry
    loads, a bad distribution is refused with its key path."""
    block = ('\n[[uncertain]]\npath = "actors.a.capability"\ndist = "uniform"\n'
             'params = [1, 3]\n')
    sh = load_stakeholders(_write(tmp_path, "u.toml", TOML_OK + block))
    assert sh.actors == ("a", "b")
    with pytest.raises(StakeholderError, match=r"uncertain\[0\]\.dist"):
        load_stakeholders(_write(tmp_path, "u.toml", TOML_OK + block.replace("uniform",
                                                                           "unifrom")))


def test_every_problem_of_a_stakeholder_set_is_listed_like_a_scenario_s():
    """Stakeholder sets and scenarios share one formatter: all problems, first in full."""
    from pactlab.errors import StakeholderError
    from pactlab.model.stakeholders_schema import validate_set

    actors = [{"id": f"a{k}", "capability": 1, "position": {"x": 10 + k},
               "salience": {"x": 1}} for k in range(1, 4)]
    data = {"dimensions": [{"id": "x", "range": [0, 10]}], "actors": actors}
    with pytest.raises(StakeholderError) as err:
        validate_set(data, where="set.toml")
    text = str(err.value)
    assert text.startswith("set.toml, actors[0].position.x: actor 'a1': position is 11")
    assert "(and 2 more problem(s): actors[1].position.x: position is 12" in text
    assert "actors[2].position.x: position is 13" in text
    data["actors"][0]["colur"] = 1  # schema errors come first, with a did-you-mean
    with pytest.raises(StakeholderError, match=r"actors\[0\]\.colur: .*unknown key 'colur'"):
        validate_set(data, where="set.toml")


@pytest.mark.parametrize("encoding", ["UTF-1e308", "no-such-codec", "UTF-16", "latin-1"])
def test_ktab_xml_declared_encoding_cannot_break_the_reader(tmp_path, encoding):
    """The file is decoded before parsing, so the declaration's encoding is not used (an
    unknown one was a LookupError traceback, found by the fuzz suite)."""
    text = (DATA / "dummyData_3Dim.xml").read_text(encoding="utf-8")
    body = re.sub(r"^\s*<\?xml[^>]*\?>", "", text)
    declared = _write(tmp_path, "k.xml", f'<?xml version="1.0" encoding="{encoding}"?>{body}')
    reference = _write(tmp_path, "r.xml", body)
    got, want = load_stakeholders(declared), load_stakeholders(reference)
    assert got.actors == want.actors and len(got.actors) > 3
    assert np.array_equal(got.position, want.position)
    assert np.array_equal(got.salience, want.salience)
