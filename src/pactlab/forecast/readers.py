"""Readers for stakeholder tables: pactlab TOML and CSV, KTAB CSV and KTAB XML.

The TOML file is the stakeholder schema itself (`pactlab.model.stakeholders_schema`); the
CSV, KTAB CSV and KTAB XML readers are adapters that turn their rows into a document of
that schema and validate it the same way, translating key paths back into their own rows
and columns for messages. KTAB files put positions and saliences on a 0-100 scale;
positions keep that scale (dimension range [0, 100]) and saliences are divided by 100, as
KTAB does internally, so that models see the same numbers KTAB sees.

Files are read through `pactlab.fileio` (regular files only, at most `FILE_LIMIT` bytes);
sizes are checked before anything is allocated (actors against `max_actors`, dimensions
against `MAX_DIMENSIONS`); parser failures (deep nesting, oversized CSV fields) become the
same one-paragraph `StakeholderError`.
"""

from __future__ import annotations

import csv
import io
import tomllib
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

from defusedxml import DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden
from defusedxml import ElementTree as DET

from pactlab.errors import StakeholderError, UnknownNameError, listing
from pactlab.fileio import MiB, read_text
from pactlab.forecast.stakeholders import Stakeholders
from pactlab.model.stakeholders_schema import (
    MAX_ACTORS,
    MAX_DIMENSIONS,
    MAX_MAGNITUDE,
    check_actor_count,
    validate_set,
)

SUFFIX = ".stakeholders.toml"
FILE_LIMIT = 16 * MiB
"""Largest stakeholder file read: thousands of actors take a few hundred kilobytes."""
FIELD_LIMIT = 64 * 1024
"""Longest CSV field, in characters (Python's csv default is 128 KiB; a name or a number
needs far less)."""

Locate = Callable[[str], tuple[Any, str | None]]


# ---------------------------------------------------------------------------- dispatch
def load_stakeholders(source: str | Path, *, max_actors: int = MAX_ACTORS) -> Stakeholders:
    """A built-in scenario id (``sma-2019``) or the path of a TOML, CSV or XML file.

    Tables with more than `max_actors` actors are refused before they are read further.
    """
    text_source = str(source)
    path = Path(text_source)
    if not path.exists() and not path.is_symlink():
        builtin = builtin_path(text_source)
        if builtin is None:
            known = ", ".join(stakeholder_ids()) or "none"
            raise UnknownNameError(
                f"{text_source!r} is neither a file nor a built-in scenario with a stakeholder "
                f"set (built-in: {known})"
            )
        return read_toml(builtin, where=f"built-in {text_source}", max_actors=max_actors)
    suffix = path.suffix.lower()
    if suffix not in (".toml", ".xml", ".csv", ".txt") and not path.is_dir():
        raise StakeholderError(
            f"unknown file type {suffix!r}; expected .toml, .csv (pactlab or KTAB) or .xml "
            "(KTAB)", where=str(path))
    text = _read_text(path)  # only regular files, at most FILE_LIMIT bytes
    if suffix == ".toml":
        doc = _parse_toml(text, str(path))
        if "dimensions" not in doc and ("issues" in doc or "parties" in doc):
            sibling = path.with_name(f"{path.name.removesuffix('.toml')}{SUFFIX}")
            if sibling.is_file():
                return read_toml(sibling, max_actors=max_actors)
            raise StakeholderError(
                "this is a scenario file (issues and parties), not a stakeholder table; "
                f"forecasts read '{sibling.name}' beside it, which does not exist (see "
                "'Stakeholder files' in the README for the format)", where=str(path))
        return _from_toml(doc, path, str(path), max_actors)
    if suffix == ".xml":
        return read_ktab_xml(path, text=text, max_actors=max_actors)
    if _looks_like_ktab_csv(text):
        return read_ktab_csv(path, text=text, max_actors=max_actors)
    return read_csv(path, text=text, max_actors=max_actors)


def _scenarios_dir() -> Any:
    return resources.files("pactlab") / "scenarios"


def _folders() -> list[Any]:
    """The built-in scenarios' folder and the case library's (`scenarios/cases/`)."""
    return [_scenarios_dir(), _scenarios_dir() / "cases"]


def stakeholder_ids() -> list[str]:
    """Scenario and case ids that ship a stakeholder set."""
    names = []
    for folder in _folders():
        try:
            names += [p.name for p in folder.iterdir()]
        except (FileNotFoundError, NotADirectoryError):
            continue
    return sorted(n[: -len(SUFFIX)] for n in names if n.endswith(SUFFIX))


def builtin_path(scenario_id: str) -> Path | None:
    """The packaged `<id>.stakeholders.toml`, if that scenario or case has one."""
    if "/" in scenario_id or "\\" in scenario_id:
        return None
    for folder in _folders():
        res = folder / f"{scenario_id}{SUFFIX}"
        if res.is_file():
            return Path(str(res))
    return None


def _read_text(path: Path) -> str:
    try:
        return read_text(path, what="stakeholder table", limit=FILE_LIMIT)
    except StakeholderError:
        raise
    except ValueError as exc:  # InputFileError: already names the file
        raise StakeholderError(str(exc)) from None


# ---------------------------------------------------------------------------- pactlab TOML
def _parse_toml(text: str, where: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise StakeholderError(f"not valid TOML: {exc}", where=where) from None
    except RecursionError:
        raise StakeholderError("not readable: arrays or tables nested too deeply for the TOML "
                               "parser (a stakeholder file nests three levels at most)",
                               where=where) from None


def read_toml(path: str | Path, *, text: str | None = None, where: str | None = None,
              max_actors: int = MAX_ACTORS) -> Stakeholders:
    """pactlab's own format: `[[dimensions]]` and `[[actors]]` tables, each number with a basis.

    A number is written plainly (``capability = 30``) or with its basis inline
    (``capability = { value = 30, basis = { assumption = "..." } }``); positions and saliences
    are tables keyed by dimension id. `*_basis` keys hold bases for plain numbers.
    """
    path = Path(path)
    where = where or str(path)
    doc = _parse_toml(text if text is not None else _read_text(path), where)
    return _from_toml(doc, path, where, max_actors)


def _from_toml(doc: dict[str, Any], path: Path, where: str, max_actors: int) -> Stakeholders:
    checked = validate_set(doc, where=where, max_actors=max_actors)
    return Stakeholders.from_set(checked, where=where,
                                 id=checked.id or path.name.removesuffix(SUFFIX).removesuffix(
                                     ".toml"))


# ---------------------------------------------------------------------------- CSV
def _csv_rows(text: str, where: str) -> list[tuple[int, list[str]]]:
    """(first line, cells) of every non-blank row; a field past FIELD_LIMIT is refused."""
    reader = csv.reader(io.StringIO(text))
    rows = []
    try:
        old = csv.field_size_limit(FIELD_LIMIT)
        try:
            start = 1
            for cells in reader:  # a row starts on the line after the last one ended
                if any(c.strip() for c in cells):
                    rows.append((start, [c.strip() for c in cells]))
                start = reader.line_num + 1
        finally:
            csv.field_size_limit(old)
    except csv.Error as exc:
        raise StakeholderError(
            f"not readable as CSV near line {reader.line_num + 1}: {exc} (a field may hold at "
            f"most {FIELD_LIMIT:,} characters)", where=where) from None
    return rows


def _label(row: int | str, actor: str) -> str:
    """A row as messages name it: its number and its actor id, shortened and with control
    characters shown as '?', so that a hostile id cannot garble the message."""
    if not actor:
        return str(row)
    shown = "".join("?" if not c.isprintable() else c for c in actor[:40])
    return f"{row} ({shown})"


def _number(text: str) -> Any:
    """A cell as a float when it parses, else the text (the schema reports it)."""
    try:
        return float(text)
    except ValueError:
        return text


def _locator(labels: list[str], columns: dict[str, str]) -> Locate:
    """Key paths of the schema (`actors[3].salience.payment`) as (row, column) of a table."""
    def locate(key: str) -> tuple[Any, str | None]:
        if not key.startswith("actors["):
            return None, columns.get(key, key or None)
        k = int(key[len("actors["):key.index("]")])
        rest = key[key.index("]") + 2:]
        return labels[k] if k < len(labels) else None, columns.get(rest, rest or None)
    return locate


def _ranges(pos: list[list[Any]], dims: list[str]) -> list[dict[str, Any]]:
    """Dimensions whose range is the spread of the positions, as in the BDM literature
    (Δ is the spread of the initial positions); a zero spread becomes ±0.5."""
    out = []
    for j, d in enumerate(dims):
        # numbers the schema will refuse do not stretch the range (their row is named)
        col = [r[j] for r in pos if isinstance(r[j], float) and abs(r[j]) < MAX_MAGNITUDE]
        lo, hi = (min(col), max(col)) if col else (0.0, 1.0)
        if not hi > lo:
            lo, hi = lo - 0.5, hi + 0.5
        out.append({"id": d, "range": [lo, hi]})
    return out


def read_csv(path: str | Path, *, text: str | None = None,
             max_actors: int = MAX_ACTORS) -> Stakeholders:
    """One actor a row: `actor`, optional `name`, `capability` (or `power`), then either
    `position`/`salience` (one dimension) or `position.<dim>`/`salience.<dim>` columns.

    Ranges come from the data (min..max per dimension), as in the BDM literature where Δ is
    the spread of the initial positions.
    """
    path = Path(path)
    where = str(path)
    rows = _csv_rows(text if text is not None else _read_text(path), where)
    if not rows:
        raise StakeholderError("empty file; expected a header row and one row per actor",
                               where=where)
    check_actor_count(len(rows) - 1, max_actors, where)
    header = [h.lower() for h in rows[0][1]]
    col = {h: i for i, h in enumerate(header) if h}
    actor_col = col.get("actor", col.get("id"))
    if actor_col is None:
        raise StakeholderError("no 'actor' column in the header", where=where, row=1,
                               column="actor")
    cap_col = col.get("capability", col.get("power"))
    if cap_col is None:
        raise StakeholderError("no 'capability' (or 'power') column in the header",
                               where=where, row=1, column="capability")
    if "position" in col or "salience" in col:
        dims = ["position"]
        names = {"position": ("position", "salience")}
    else:
        dims = [h.split(".", 1)[1] for h in header if h.startswith("position.")]
        names = {d: (f"position.{d}", f"salience.{d}") for d in dims}
    if not dims:
        raise StakeholderError("no position columns; expected 'position' or 'position.<dim>'",
                               where=where, row=1)
    if len(dims) > MAX_DIMENSIONS:
        raise StakeholderError(f"has {len(dims):,} dimensions; at most {MAX_DIMENSIONS} are "
                               "allowed", where=where, row=1)
    for pair in names.values():
        for name in pair:
            if name not in col:
                raise StakeholderError(f"missing dimension column {name!r} in the header",
                                       where=where, row=1, column=name)
    name_col = col.get("name")
    actors, pos, labels = [], [], []
    for line, r in rows[1:]:
        def cell(i: int, r: list[str] = r, line: int = line) -> str:
            if i >= len(r) or not r[i]:
                raise StakeholderError("empty cell; expected a value", where=where, row=line,
                                       column=header[i])
            return r[i]

        aid = cell(actor_col)
        labels.append(_label(line, aid))
        p = [_number(cell(col[names[d][0]])) for d in dims]
        pos.append(p)
        actors.append({
            "id": aid,
            "name": r[name_col] if name_col is not None and name_col < len(r) else "",
            "capability": _number(cell(cap_col)),
            "position": dict(zip(dims, p, strict=True)),
            "salience": {d: _number(cell(col[names[d][1]])) for d in dims}})
    columns = {"capability": header[cap_col], "id": header[actor_col]}
    for d in dims:
        columns[f"position.{d}"], columns[f"salience.{d}"] = names[d]
    doc = {"dimensions": _ranges(pos, dims), "actors": actors}
    checked = validate_set(doc, where=where, max_actors=max_actors,
                           locate=_locator(labels, columns))
    return Stakeholders.from_set(checked, where=where, id=path.stem)


# ---------------------------------------------------------------------------- KTAB CSV
def _looks_like_ktab_csv(text: str) -> bool:
    """KTAB's CSV starts with a title line `name, description, actors, dimensions`: two whole
    numbers in the third and fourth fields. KTAB reads the columns after it by position, so
    the header's names (`Power` or `Influence`, `Pstn1` or `Policy Position`) do not matter."""
    first = next((ln for ln in text[:FIELD_LIMIT].splitlines() if ln.strip()), "")
    try:
        cells = [c.strip() for c in next(csv.reader([first]), [])]
    except csv.Error:
        return False
    return len(cells) >= 4 and all(c.isdigit() for c in cells[2:4])


def read_ktab_csv(path: str | Path, *, text: str | None = None,
                  max_actors: int = MAX_ACTORS) -> Stakeholders:
    """KTAB's SMP CSV: a title line (name, description, #actors, #dimensions), a header
    (`Actor,Description,Power,Pstn1,Sal1,...`: read by position, names kept as dimension
    ids), then one row per actor; 0-100 scales."""
    path = Path(path)
    where = str(path)
    rows = _csv_rows(text if text is not None else _read_text(path), where)
    if len(rows) < 2:
        raise StakeholderError("expected a title line and a header line", where=where)
    title = rows[0][1]
    try:
        n_act, n_dim = int(title[2]), int(title[3])
    except (IndexError, ValueError):
        raise StakeholderError(
            "title line must be 'name, description, number of actors, number of dimensions'",
            where=where, row=1) from None
    if not 1 <= n_dim <= MAX_DIMENSIONS:
        raise StakeholderError(f"the title line declares {n_dim:,} dimensions; expected 1 to "
                               f"{MAX_DIMENSIONS}", where=where, row=1, column="dimensions")
    check_actor_count(n_act, max_actors, where)
    header = rows[1][1]
    needed = 3 + 2 * n_dim
    if len(header) < needed or not all(header[:needed]):
        got = sum(1 for c in header[:needed] if c)
        expected = ["Actor", "Description", "Power"] + [
            f"Pstn{d + 1},Sal{d + 1}" for d in range(n_dim)]
        raise StakeholderError(
            f"header has {got} named columns; the title line declares {n_dim} dimension(s), "
            f"so expected {needed} (KTAB reads them by position, names are free): "
            f"{listing(expected, limit=8, sep=',')}", where=where, row="2 (header)")
    body = rows[2:]
    if len(body) != n_act:
        raise StakeholderError(
            f"title line announces {n_act} actors but {len(body)} actor rows follow",
            where=where, row=1, column="actors")
    dims = [header[3 + 2 * d] for d in range(n_dim)]
    actors, labels = [], []
    for line, cells in body:
        aid = cells[0] if cells else ""
        label = _label(line, aid)
        missing = next((i for i in range(2, needed) if i >= len(cells) or not cells[i]), None)
        if missing is not None:
            raise StakeholderError(f"missing value (expected {needed} fields)", where=where,
                                   row=label, column=header[missing])
        sal = [_number(cells[4 + 2 * d]) for d in range(n_dim)]
        _check_ktab_saliences(sal, where, label, [header[4 + 2 * d] for d in range(n_dim)])
        labels.append(label)
        actors.append({
            "id": aid, "name": cells[1],
            "capability": _number(cells[2]),
            "position": {d: _number(cells[3 + 2 * k]) for k, d in enumerate(dims)},
            "salience": {d: s / 100.0 for d, s in zip(dims, sal, strict=True)}})
    columns = {"capability": header[2], "id": header[0], "name": header[1]}
    for k, d in enumerate(dims):
        columns[f"position.{d}"] = header[3 + 2 * k]
        columns[f"salience.{d}"] = header[4 + 2 * k]
    doc = {"id": title[0], "title": title[1] if len(title) > 1 else "",
           "dimensions": [{"id": d, "range": [0.0, 100.0]} for d in dims], "actors": actors}
    checked = validate_set(doc, where=where, max_actors=max_actors,
                           locate=_locator(labels, columns))
    return Stakeholders.from_set(checked, where=where, id=title[0] or path.stem)


def _check_ktab_saliences(sal: list[Any], where: str, label: str, columns: list[str]) -> None:
    """KTAB saliences: numbers in [0, 100] totalling at most 100 per actor."""
    for s, column in zip(sal, columns, strict=True):
        if not isinstance(s, float):
            raise StakeholderError(f"got {s[:60]!r}; expected a number", where=where,
                                   row=label, column=column)
        if not 0.0 <= s <= 100.0:
            raise StakeholderError(f"salience is {s:g}; expected a number in [0, 100]",
                                   where=where, row=label, column=column)
    if sum(sal) > 100.0 + 1e-7:
        raise StakeholderError(
            f"saliences add up to {sum(sal):g}; KTAB expects at most 100 in total",
            where=where, row=label, column=", ".join(columns))


# ---------------------------------------------------------------------------- KTAB XML
def read_ktab_xml(path: str | Path, *, text: str | None = None,
                  max_actors: int = MAX_ACTORS) -> Stakeholders:
    """KTAB's SMP XML (schema `smpSchema.xsd`): `<Scenario>` with `<Dimensions>` and
    `<Actors>`; optional `<ModelParameters>` are kept in `ktab_parameters` of the bases."""
    path = Path(path)
    where = str(path)
    raw = text if text is not None else _read_text(path)
    try:
        # the text is already decoded: parsing the str makes expat ignore whatever encoding
        # the declaration names (an unknown one raised LookupError on the encoded bytes)
        root = DET.fromstring(raw, forbid_dtd=True)
    except DET.ParseError as exc:
        raise StakeholderError(f"not well-formed XML: {exc}", where=where) from None
    except (EntitiesForbidden, ExternalReferenceForbidden, DTDForbidden):
        raise StakeholderError(
            "XML entity declarations, document type declarations (DOCTYPE) and external "
            "references are not allowed (defusedxml); remove the DOCTYPE", where=where) from None
    if _local(root.tag) != "Scenario":
        raise StakeholderError(f"root element is <{_local(root.tag)}>; expected <Scenario>",
                               where=where)

    def child(el: Any, name: str) -> Any:
        return next((c for c in el if _local(c.tag) == name), None)

    def children(el: Any, name: str) -> list[Any]:
        return [c for c in el if _local(c.tag) == name] if el is not None else []

    def content(el: Any) -> str:
        return (el.text or "").strip() if el is not None else ""

    dims = [content(d) for d in children(child(root, "Dimensions"), "dName")]
    actor_els = children(child(root, "Actors"), "Actor")
    if not actor_els:
        raise StakeholderError("no <Actors>/<Actor> elements", where=where, column="Actors")
    check_actor_count(len(actor_els), max_actors, where)
    if len(dims) > MAX_DIMENSIONS:
        raise StakeholderError(f"has {len(dims):,} dimensions; at most {MAX_DIMENSIONS} are "
                               "allowed", where=where, column="Dimensions")
    actors, labels = [], []
    for k, a in enumerate(actor_els):
        aid = content(child(a, "name"))
        label = _label(f"Actor[{k + 1}]", aid)
        if not aid:
            raise StakeholderError("missing <name>", where=where, row=label, column="name")
        if child(a, "capability") is None:
            raise StakeholderError("missing <capability>", where=where, row=label,
                                   column="capability")
        coords = [content(c) for c in children(child(a, "Position"), "dCoord")]
        sals = [content(c) for c in children(child(a, "Salience"), "dSal")]
        if not dims:
            dims = [f"Pstn{d + 1}" for d in range(min(len(coords), MAX_DIMENSIONS + 1))]
        for kind, vals in (("Position/dCoord", coords), ("Salience/dSal", sals)):
            if len(vals) != len(dims):
                raise StakeholderError(
                    f"has {len(vals)} values; expected one per dimension ({len(dims)})",
                    where=where, row=label, column=kind)
        sal = [_number(s) for s in sals]
        _check_ktab_saliences(sal, where, label,
                              [f"Salience/dSal[{d + 1}]" for d in range(len(dims))])
        labels.append(label)
        actors.append({
            "id": aid, "name": content(child(a, "description")),
            "capability": _number(content(child(a, "capability"))),
            "position": {d: _number(c) for d, c in zip(dims, coords, strict=True)},
            "salience": {d: s / 100.0 for d, s in zip(dims, sal, strict=True)}})
    columns = {"capability": "capability", "id": "name", "name": "description"}
    for k, d in enumerate(dims):
        columns[f"position.{d}"] = f"Position/dCoord[{k + 1}]"
        columns[f"salience.{d}"] = f"Salience/dSal[{k + 1}]"
    params_el = child(root, "ModelParameters")
    params = {_local(p.tag): content(p) for p in params_el} if params_el is not None else {}
    doc = {"id": content(child(root, "name")), "title": content(child(root, "desc")),
           "dimensions": [{"id": d, "range": [0.0, 100.0]} for d in dims], "actors": actors}
    checked = validate_set(doc, where=where, max_actors=max_actors,
                           locate=_locator(labels, columns))
    sh = Stakeholders.from_set(checked, where=where, id=checked.id or path.stem)
    if params:
        sh.bases["ktab_parameters"] = params
    return sh


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]
