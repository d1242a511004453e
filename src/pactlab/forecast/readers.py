"""Readers for stakeholder tables: pactlab TOML and CSV, KTAB CSV and KTAB XML.

Each reader parses only; `Stakeholders.build` validates. Errors name the file, the row (actor
id or line number) and the column. KTAB files put positions and saliences on a 0-100 scale;
positions keep that scale (dimension range [0, 100]) and saliences are divided by 100, as KTAB
does internally, so that models see the same numbers KTAB sees.
"""

from __future__ import annotations

import csv
import io
import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

from defusedxml import DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden
from defusedxml import ElementTree as DET

from pactlab.errors import StakeholderError, UnknownNameError
from pactlab.forecast.stakeholders import Dimension, Stakeholders

SUFFIX = ".stakeholders.toml"


# ---------------------------------------------------------------------------- dispatch
def load_stakeholders(source: str | Path) -> Stakeholders:
    """A built-in scenario id (``sma-2019``) or the path of a TOML, CSV or XML file."""
    text_source = str(source)
    path = Path(text_source)
    if not path.exists():
        builtin = builtin_path(text_source)
        if builtin is None:
            known = ", ".join(builtin_ids()) or "none"
            raise UnknownNameError(
                f"{text_source!r} is neither a file nor a built-in scenario with a stakeholder "
                f"set (built-in: {known})"
            )
        return read_toml(builtin, where=f"built-in {text_source}")
    if path.is_dir():
        raise StakeholderError(
            "is a directory; expected a stakeholder file (.toml, .csv or .xml) or a built-in "
            "scenario id", where=str(path))
    suffix = path.suffix.lower()
    if suffix == ".toml":
        text = _read_text(path)
        if _looks_like_scenario(text):
            sibling = path.with_name(f"{path.name.removesuffix('.toml')}{SUFFIX}")
            if sibling.is_file():
                return read_toml(sibling)
            raise StakeholderError(
                "this is a scenario file (issues and parties), not a stakeholder table; "
                f"forecasts read '{sibling.name}' beside it, which does not exist (see "
                "'Stakeholder files' in the README for the format)", where=str(path))
        return read_toml(path, text=text)
    if suffix == ".xml":
        return read_ktab_xml(path)
    if suffix in (".csv", ".txt"):
        text = _read_text(path)
        if _looks_like_ktab_csv(text):
            return read_ktab_csv(path, text=text)
        return read_csv(path, text=text)
    raise StakeholderError(
        f"unknown file type {suffix!r}; expected .toml, .csv (pactlab or KTAB) or .xml (KTAB)",
        where=str(path),
    )


def _looks_like_scenario(text: str) -> bool:
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return False
    return "dimensions" not in doc and ("issues" in doc or "parties" in doc)


def _scenarios_dir() -> Any:
    return resources.files("pactlab") / "scenarios"


def _folders() -> list[Any]:
    """The built-in scenarios' folder and the case library's (`scenarios/cases/`)."""
    return [_scenarios_dir(), _scenarios_dir() / "cases"]


def builtin_ids() -> list[str]:
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
        return path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise StakeholderError(f"cannot read the file: {exc.strerror}", where=str(path)) from None
    except UnicodeDecodeError:
        raise StakeholderError("the file is not UTF-8 text", where=str(path)) from None


# ---------------------------------------------------------------------------- pactlab TOML
def read_toml(path: str | Path, *, text: str | None = None, where: str | None = None
              ) -> Stakeholders:
    """pactlab's own format: `[[dimensions]]` and `[[actors]]` tables, each number with a basis.

    A number is written plainly (``capability = 30``) or with its basis inline
    (``capability = { value = 30, basis = { assumption = "..." } }``); positions and saliences
    are tables keyed by dimension id. `*_basis` keys hold bases for plain numbers.
    """
    path = Path(path)
    where = where or str(path)
    raw = text if text is not None else _read_text(path)
    try:
        doc = tomllib.loads(raw)
    except tomllib.TOMLDecodeError as exc:
        raise StakeholderError(f"not valid TOML: {exc}", where=where) from None
    dims_raw = doc.get("dimensions")
    if not isinstance(dims_raw, list) or not dims_raw:
        raise StakeholderError("expected at least one [[dimensions]] table", where=where,
                               column="dimensions")
    bases: dict[str, Any] = {}
    dims: list[Dimension] = []
    for k, d in enumerate(dims_raw):
        key = f"dimensions[{k}]"
        if not isinstance(d, dict) or not isinstance(d.get("id"), str):
            raise StakeholderError("expected a table with a string 'id'", where=where,
                                   row=key, column="id")
        rng = d.get("range")
        if rng is None:
            raise StakeholderError(
                "missing 'range'; expected range = [low, high] in the dimension's unit",
                where=where, row=d["id"], column="range")
        if (not isinstance(rng, list) or len(rng) != 2
                or not all(isinstance(x, int | float) and not isinstance(x, bool) for x in rng)):
            raise StakeholderError(f"range is {rng!r}; expected [low, high] numbers",
                                   where=where, row=d["id"], column="range")
        dims.append(Dimension(id=d["id"], name=str(d.get("name", "")), unit=str(d.get("unit", "")),
                              low=float(rng[0]), high=float(rng[1]),
                              issue=str(d.get("issue", "")),
                              mapping=_mapping(d.get("mapping", {}), where, d["id"])))
        if "basis" in d:
            bases[f"dimensions.{d['id']}.range"] = d["basis"]
    ids = [d.id for d in dims]
    actors_raw = doc.get("actors")
    if not isinstance(actors_raw, list) or not actors_raw:
        raise StakeholderError("expected at least one [[actors]] table", where=where,
                               column="actors")
    actors: list[str] = []
    names: list[str] = []
    caps: list[Any] = []
    pos: list[list[Any]] = []
    sal: list[list[Any]] = []
    rows: list[str] = []
    for k, a in enumerate(actors_raw):
        if not isinstance(a, dict) or not isinstance(a.get("id"), str):
            raise StakeholderError("expected a table with a string 'id'", where=where,
                                   row=f"actors[{k}]", column="id")
        aid = a["id"]
        rows.append(aid)
        actors.append(aid)
        names.append(str(a.get("name", aid)))
        if "capability" not in a:
            raise StakeholderError("missing 'capability'", where=where, row=aid,
                                   column="capability")
        caps.append(_value(a["capability"], bases, f"actors.{aid}.capability",
                           a.get("capability_basis"), where, aid, "capability"))
        prow, srow = [], []
        for field, out in (("position", prow), ("salience", srow)):
            table = a.get(field)
            if not isinstance(table, dict):
                raise StakeholderError(
                    f"missing '{field}' table; expected {field} = {{ {ids[0]} = ... }}",
                    where=where, row=aid, column=field)
            extra = sorted(set(table) - set(ids))
            if extra:
                raise StakeholderError(
                    f"unknown dimension {extra[0]!r}; dimensions are {', '.join(ids)}",
                    where=where, row=aid, column=f"{field}.{extra[0]}")
            fb = a.get(f"{field}_basis") or {}
            if isinstance(fb, dict) and (_is_basis(fb)):
                fb = {dim: fb for dim in ids}  # one basis for every dimension
            for dim in ids:
                if dim not in table:
                    raise StakeholderError(
                        f"missing dimension {dim!r}; every actor needs a {field} on every "
                        "dimension", where=where, row=aid, column=f"{field}.{dim}")
                out.append(_value(table[dim], bases, f"actors.{aid}.{field}.{dim}",
                                  fb.get(dim) if isinstance(fb, dict) else None,
                                  where, aid, f"{field}.{dim}"))
        pos.append(prow)
        sal.append(srow)
    sources = tuple(s for s in doc.get("sources", []) if isinstance(s, dict))
    return Stakeholders.build(
        actors, caps, pos, sal, dims, names=names, where=where, rows=rows,
        id=str(doc.get("id", path.stem.removesuffix(".stakeholders"))),
        title=str(doc.get("title", "")), scenario=str(doc.get("scenario", "")), bases=bases,
        sources=sources,
    )


def _mapping(raw: Any, where: str, dim: str) -> tuple[tuple[str, float], ...]:
    """A derived dimension's `mapping = { option = number }` (categorical issue -> number)."""
    if not isinstance(raw, dict) or not all(
            isinstance(v, int | float) and not isinstance(v, bool) for v in raw.values()):
        raise StakeholderError("mapping must be a table of option = number", where=where,
                               row=dim, column="mapping")
    return tuple((str(k), float(v)) for k, v in raw.items())


def _is_basis(table: dict[str, Any]) -> bool:
    return bool({"source", "quote", "assumption"} & set(table))


def _value(raw: Any, bases: dict[str, Any], key: str, basis: Any, where: str, row: str,
           column: str) -> Any:
    if isinstance(raw, dict):
        if "value" not in raw:
            raise StakeholderError("inline table without 'value'", where=where, row=row,
                                   column=column)
        if "basis" in raw:
            bases[key] = raw["basis"]
        return raw["value"]
    if basis is not None:
        bases[key] = basis
    return raw


# ---------------------------------------------------------------------------- pactlab CSV
def read_csv(path: str | Path, *, text: str | None = None) -> Stakeholders:
    """One actor a row: `actor`, optional `name`, `capability` (or `power`), then either
    `position`/`salience` (one dimension) or `position.<dim>`/`salience.<dim>` columns.

    Ranges come from the data (min..max per dimension), as in the BDM literature where Δ is
    the spread of the initial positions.
    """
    path = Path(path)
    where = str(path)
    raw = text if text is not None else _read_text(path)
    reader = csv.reader(io.StringIO(raw))
    rows_all = [r for r in reader if any(c.strip() for c in r)]
    if not rows_all:
        raise StakeholderError("empty file; expected a header row and one row per actor",
                               where=where)
    header = [h.strip().lower() for h in rows_all[0]]
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
        pcols = {"position": col.get("position")}
        scols = {"position": col.get("salience")}
    else:
        dims = [h.split(".", 1)[1] for h in header if h.startswith("position.")]
        pcols = {d: col.get(f"position.{d}") for d in dims}
        scols = {d: col.get(f"salience.{d}") for d in dims}
    if not dims:
        raise StakeholderError("no position columns; expected 'position' or 'position.<dim>'",
                               where=where, row=1)
    for d in dims:
        for kind, cols in (("position", pcols), ("salience", scols)):
            if cols[d] is None:
                name = kind if d == "position" and len(dims) == 1 else f"{kind}.{d}"
                raise StakeholderError(f"missing dimension column {name!r} in the header",
                                       where=where, row=1, column=name)
    name_col = col.get("name")
    actors, names, caps, pos, sal, rows = [], [], [], [], [], []
    for line_no, r in enumerate(rows_all[1:], start=2):
        def cell(i: int | None, column: str, r: list[str] = r, line_no: int = line_no) -> str:
            if i is None or i >= len(r) or not r[i].strip():
                raise StakeholderError("empty cell; expected a value", where=where,
                                       row=line_no, column=column)
            return r[i].strip()

        aid = cell(actor_col, "actor")
        actors.append(aid)
        rows.append(f"{line_no} ({aid})")
        names.append(r[name_col].strip() if name_col is not None and name_col < len(r)
                     and r[name_col].strip() else aid)
        caps.append(_num(cell(cap_col, header[cap_col]), where, rows[-1], header[cap_col]))
        pos.append([_num(cell(pcols[d], header[pcols[d]]), where, rows[-1], header[pcols[d]])
                    for d in dims])
        sal.append([_num(cell(scols[d], header[scols[d]]), where, rows[-1], header[scols[d]])
                    for d in dims])
    columns = {"capability": header[cap_col]}
    for d in dims:
        columns[f"position.{d}"] = header[pcols[d]]
        columns[f"salience.{d}"] = header[scols[d]]
    return Stakeholders.build(actors, caps, pos, sal, dims, names=names, where=where, rows=rows,
                              columns=columns, id=path.stem)


def _num(text: str, where: str, row: Any, column: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise StakeholderError(f"got {text!r}; expected a number", where=where, row=row,
                               column=column) from None


# ---------------------------------------------------------------------------- KTAB CSV
def _looks_like_ktab_csv(text: str) -> bool:
    """KTAB's CSV starts with a title line `name, description, actors, dimensions`: two whole
    numbers in the third and fourth fields. KTAB reads the columns after it by position, so
    the header's names (`Power` or `Influence`, `Pstn1` or `Policy Position`) do not matter."""
    first = next((ln for ln in text.splitlines() if ln.strip()), "")
    try:
        cells = [c.strip() for c in next(csv.reader([first]), [])]
    except csv.Error:
        return False
    return len(cells) >= 4 and all(c.isdigit() for c in cells[2:4])


def read_ktab_csv(path: str | Path, *, text: str | None = None) -> Stakeholders:
    """KTAB's SMP CSV: a title line (name, description, #actors, #dimensions), a header
    `Actor,Description,Power,Pstn1,Sal1,...`, then one row per actor; 0-100 scales."""
    path = Path(path)
    where = str(path)
    raw = text if text is not None else _read_text(path)
    rows_all = list(csv.reader(io.StringIO(raw)))
    rows_all = [r for r in rows_all if any(c.strip() for c in r)]
    if len(rows_all) < 2:
        raise StakeholderError("expected a title line and a header line", where=where)
    title = [c.strip() for c in rows_all[0]]
    try:
        n_act, n_dim = int(title[2]), int(title[3])
    except (IndexError, ValueError):
        raise StakeholderError(
            "title line must be 'name, description, number of actors, number of dimensions'",
            where=where, row=1) from None
    if n_dim < 1:
        raise StakeholderError(f"number of dimensions is {n_dim}; expected at least 1",
                               where=where, row=1, column="dimensions")
    header = [c.strip() for c in rows_all[1]]
    _check_ktab_header(header, n_dim, where)
    dims = [header[3 + 2 * d] for d in range(n_dim)]
    body = rows_all[2:]
    if len(body) != n_act:
        raise StakeholderError(
            f"title line announces {n_act} actors but {len(body)} actor rows follow",
            where=where, row=1, column="actors")
    actors, names, caps, pos, sal, rows = [], [], [], [], [], []
    for k, r in enumerate(body):
        line = k + 3
        cells = [c.strip() for c in r]
        aid = cells[0] if cells else ""
        label = f"{line} ({aid})" if aid else line
        if len(cells) < 3 + 2 * n_dim or any(not c for c in cells[2: 3 + 2 * n_dim]):
            missing = next((header[i] if i < len(header) else f"column {i + 1}"
                            for i in range(2, 3 + 2 * n_dim)
                            if i >= len(cells) or not cells[i]), "?")
            raise StakeholderError(f"missing value (expected {3 + 2 * n_dim} fields)",
                                   where=where, row=label, column=missing)
        actors.append(aid)
        names.append(cells[1] or aid)
        rows.append(label)
        caps.append(_num(cells[2], where, label, header[2] if len(header) > 2 else "Power"))
        p, s = [], []
        for d in range(n_dim):
            pcol, scol = header[3 + 2 * d], header[4 + 2 * d]
            p.append(_num(cells[3 + 2 * d], where, label, pcol))
            s.append(_ktab_salience(cells[4 + 2 * d], where, label, scol))
        _check_ktab_total(s, where, label, "Sal*")
        pos.append(p)
        sal.append(s)
    dimensions = [Dimension(id=d, low=0.0, high=100.0) for d in dims]
    columns = {"capability": header[2]}
    for d, dim in enumerate(dims):
        columns[f"position.{dim}"] = header[3 + 2 * d]
        columns[f"salience.{dim}"] = header[4 + 2 * d]
    return Stakeholders.build(actors, caps, pos, sal, dimensions, names=names, where=where,
                              rows=rows, columns=columns, id=title[0] or path.stem,
                              title=title[1] if len(title) > 1 else "")


def _check_ktab_header(header: list[str], n_dim: int, where: str) -> None:
    """The header needs Actor, Description, Power and a named Pstn/Sal pair per dimension."""
    needed = 3 + 2 * n_dim
    if len(header) < needed or not all(header[:needed]):
        expected = ",".join(["Actor", "Description", "Power"]
                            + [f"Pstn{d + 1},Sal{d + 1}" for d in range(n_dim)])
        got = sum(1 for c in header[:needed] if c)
        raise StakeholderError(
            f"header has {got} named columns; the title line declares {n_dim} dimension(s), "
            f"so expected {needed}: {expected}", where=where, row="2 (header)")


# ---------------------------------------------------------------------------- KTAB XML
def read_ktab_xml(path: str | Path, *, text: str | None = None) -> Stakeholders:
    """KTAB's SMP XML (schema `smpSchema.xsd`): `<Scenario>` with `<Dimensions>` and
    `<Actors>`; optional `<ModelParameters>` are kept in `ktab_parameters` of the bases."""
    path = Path(path)
    where = str(path)
    raw = text if text is not None else _read_text(path)
    try:
        root = DET.fromstring(raw.encode("utf-8"))
    except DET.ParseError as exc:
        raise StakeholderError(f"not well-formed XML: {exc}", where=where) from None
    except (EntitiesForbidden, ExternalReferenceForbidden, DTDForbidden):
        raise StakeholderError(
            "XML entity declarations and external references are not allowed (defusedxml); "
            "remove the DOCTYPE/ENTITY declarations", where=where) from None
    if _local(root.tag) != "Scenario":
        raise StakeholderError(f"root element is <{_local(root.tag)}>; expected <Scenario>",
                               where=where)

    def child(el: Any, name: str) -> Any:
        return next((c for c in el if _local(c.tag) == name), None)

    def children(el: Any, name: str) -> list[Any]:
        return [c for c in el if _local(c.tag) == name] if el is not None else []

    dims_el = child(root, "Dimensions")
    dims = [(d.text or "").strip() for d in children(dims_el, "dName")]
    actors_el = child(root, "Actors")
    actor_els = children(actors_el, "Actor")
    if not actor_els:
        raise StakeholderError("no <Actors>/<Actor> elements", where=where, column="Actors")
    actors, names, caps, pos, sal, rows = [], [], [], [], [], []
    for k, a in enumerate(actor_els):
        name_el = child(a, "name")
        aid = (name_el.text or "").strip() if name_el is not None else ""
        label = f"Actor[{k + 1}]" + (f" ({aid})" if aid else "")
        if not aid:
            raise StakeholderError("missing <name>", where=where, row=label, column="name")
        desc = child(a, "description")
        cap_el = child(a, "capability")
        if cap_el is None:
            raise StakeholderError("missing <capability>", where=where, row=label,
                                   column="capability")
        coords = [(c.text or "").strip() for c in children(child(a, "Position"), "dCoord")]
        sals = [(c.text or "").strip() for c in children(child(a, "Salience"), "dSal")]
        if not dims:
            dims = [f"Pstn{d + 1}" for d in range(len(coords))]
        for kind, vals in (("Position/dCoord", coords), ("Salience/dSal", sals)):
            if len(vals) != len(dims):
                raise StakeholderError(
                    f"has {len(vals)} values; expected one per dimension ({len(dims)})",
                    where=where, row=label, column=kind)
        actors.append(aid)
        names.append((desc.text or "").strip() if desc is not None and desc.text else aid)
        rows.append(label)
        caps.append(_num((cap_el.text or "").strip(), where, label, "capability"))
        pos.append([_num(c, where, label, f"Position/dCoord[{d + 1}]")
                    for d, c in enumerate(coords)])
        s = []
        for d, c in enumerate(sals):
            s.append(_ktab_salience(c, where, label, f"Salience/dSal[{d + 1}]"))
        _check_ktab_total(s, where, label, "Salience")
        sal.append(s)
    params_el = child(root, "ModelParameters")
    params = {_local(p.tag): (p.text or "").strip() for p in params_el} if params_el else {}
    name_el = child(root, "name")
    desc_el = child(root, "desc")
    dimensions = [Dimension(id=d, low=0.0, high=100.0) for d in dims]
    return Stakeholders.build(
        actors, caps, pos, sal, dimensions, names=names, where=where, rows=rows,
        columns={f"position.{d}": f"Position/dCoord[{k + 1}]" for k, d in enumerate(dims)},
        id=(name_el.text or "").strip() if name_el is not None and name_el.text else path.stem,
        title=(desc_el.text or "").strip() if desc_el is not None and desc_el.text else "",
        bases={"ktab_parameters": params} if params else {},
    )


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _ktab_salience(cell: str, where: str, label: str, column: str) -> float:
    """A KTAB salience (0–100) as a fraction."""
    y = _num(cell, where, label, column)
    if not 0 <= y <= 100:
        raise StakeholderError(f"salience is {y:g}; expected a number in [0, 100]",
                               where=where, row=label, column=column)
    return y / 100.0


def _check_ktab_total(saliences: list[float], where: str, label: str, column: str) -> None:
    if sum(saliences) > 1.0 + 1e-9:
        raise StakeholderError(
            f"saliences add up to {100 * sum(saliences):g}; KTAB expects at most 100 in total",
            where=where, row=label, column=column)
