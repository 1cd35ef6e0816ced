"""The ``swfsim`` command line: help for every option, and usage errors argparse refuses."""

from __future__ import annotations

import argparse
from typing import Any

import pytest

from swfsim.cli import build_parser, main


def _chooser(parser: argparse.ArgumentParser) -> argparse._SubParsersAction[Any]:
    found = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    assert len(found) == 1
    return found[0]


def test_every_option_of_every_command_has_help() -> None:
    parser = build_parser()
    chooser = _chooser(parser)
    commands: dict[str, argparse.ArgumentParser] = dict(chooser.choices)
    assert {"demo", "serve", "clock", "advance", "mode", "reset", "snapshot", "restore"} <= set(
        commands
    )
    missing = [
        f"{name} {' '.join(action.option_strings) or action.dest}"
        for name, command in [("swfsim", parser), *commands.items()]
        for action in command._actions
        if action is not chooser and not action.help
    ]
    assert missing == []
    assert sorted(c.dest for c in chooser._choices_actions if c.help) == sorted(commands)


def test_serve_help_shows_the_defaults(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["serve", "--help"])
    assert exited.value.code == 0
    shown = " ".join(capsys.readouterr().out.split())  # argparse wraps lines
    assert "--port PORT port (default: 8765); 0 picks a free one" in shown
    assert "--seed SEED seed of the simulator's ids (default: 0)" in shown


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["demo", "--failures", "-1"], "argument --failures: must be >= 0, not -1"),
        (["demo", "--failures", "two"], "argument --failures: invalid int value: 'two'"),
        (["serve", "--port", "70000"], "argument --port: must be from 0 to 65535"),
        (["serve", "--rate", "0"], "argument --rate: must be a number > 0, not 0"),
        (["serve", "--settle", "nan"], "argument --settle: must be a number >= 0, not nan"),
        (["serve", "--poll-timeout", "-5"], "argument --poll-timeout: must be >= 0, not -5"),
        (["advance", "--seconds", "-1"], "argument --seconds: must be a number >= 0, not -1"),
        (["mode", "fast"], "argument mode: invalid choice: 'fast'"),
    ],
)
def test_bad_values_are_usage_errors(
    capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    with pytest.raises(SystemExit) as exited:
        main(argv)
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("usage: swfsim ")
    assert f"error: {message}" in err


def test_an_admin_command_without_an_endpoint_says_how_to_give_one(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SWFSIM_ENDPOINT", raising=False)
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    assert main(["clock"]) == 2
    assert capsys.readouterr().err == (
        "swfsim: no endpoint: pass --endpoint URL (the URL `swfsim serve` printed) "
        "or set SWFSIM_ENDPOINT\n"
    )
    assert main(["clock", "--endpoint", "localhost:8765"]) == 2
    assert capsys.readouterr().err == (
        "swfsim: endpoint 'localhost:8765' is not an http:// URL (e.g. http://127.0.0.1:8765)\n"
    )
