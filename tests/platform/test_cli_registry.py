"""The lazy command table agrees with the commands the modules register; help is readable."""

from __future__ import annotations

import importlib
import re

import pytest
from typer.testing import CliRunner

from pactlab.cli import app
from pactlab.cli.app import COMMANDS

runner = CliRunner()


def _registered() -> dict[str, str]:
    for module in {m for m, _ in COMMANDS.values()}:
        importlib.import_module(module)
    out = {}
    for info in app.registered_commands:
        name = info.name or info.callback.__name__.replace("_", "-")
        doc = (info.help or info.callback.__doc__ or "").strip().split("\n\n")[0]
        out[name] = " ".join(doc.split())
    return out


def test_table_lists_every_registered_command_with_its_help():
    registered = _registered()
    assert sorted(registered) == sorted(COMMANDS)
    for name, (_module, short_help) in COMMANDS.items():
        assert registered[name].startswith(short_help.rstrip(".")), name


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_help_shows_no_python_types(name):
    result = runner.invoke(app, [name, "--help"], terminal_width=200)
    assert result.exit_code == 0, result.output
    assert not re.search(r"<(bool|str|int|float|list\[|Path|int range|float range)", result.output)
    assert "{" not in result.output.split("\n", 3)[1]  # usage line without {SCENARIO}


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_help_shows_the_format_s_table_names_literally(name):
    """`[outcome]` and `[[uncertain]]` in a docstring are text, not rich markup to drop."""
    importlib.import_module(COMMANDS[name][0])
    info = next(i for i in app.registered_commands
                if (i.name or i.callback.__name__.replace("_", "-")) == name)
    result = runner.invoke(app, [name, "--help"], terminal_width=400)
    shown = " ".join(result.output.replace("│", " ").split())
    for token in re.findall(r"\[\[?[a-z_.]+\]\]?", info.callback.__doc__ or ""):
        assert token in shown, f"{name} --help lost {token}"
    assert "[]" not in shown


def test_unknown_command_suggests():
    result = runner.invoke(app, ["analyse"])
    assert result.exit_code == 2
    assert "analyze" in result.output


def test_long_error_messages_are_bounded():
    from pactlab.cli.app import MAX_MESSAGE, bounded

    assert bounded("short") == "short"
    text = bounded("x" * 100_000)
    assert len(text) < MAX_MESSAGE + 100 and text.endswith("(96,000 more characters)")


def test_refusal_goes_to_stderr_with_exit_2(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("id = 'x'\n")
    result = CliRunner().invoke(app, ["analyze", str(bad)])
    assert result.exit_code == 2
    assert "error:" in result.stderr and "bad.toml" in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_command_help_has_an_example(name):
    result = runner.invoke(app, [name, "--help"], terminal_width=200)
    assert re.search(rf"Examples?:\s+pactlab {name}\b", result.output), result.output
