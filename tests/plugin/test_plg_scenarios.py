"""Scenario files: the examples in fixtures/scenarios, and how a broken one is reported in each
place a test can name it (the ``swf_faults`` fixture, the marker, ``--swf-faults``)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from plg_support import SCENARIOS

from swfsim.faults import FAULT_TYPES, FaultPlan, ScenarioError, load_scenario, schema

pytest_plugins = ["pytester"]

EXAMPLES = sorted(path for path in SCENARIOS.iterdir() if path.suffix in (".json", ".yaml"))


def glob(text: str) -> str:
    """``text`` as a literal in an fnmatch pattern (``[`` opens a character class there)."""
    return text.replace("[", "[[]")


def parsed(path: Path) -> Any:
    text = path.read_text()
    return yaml.safe_load(text) if path.suffix == ".yaml" else json.loads(text)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda path: path.name)
def test_example_scenario_is_valid(path: Path) -> None:
    data = parsed(path)
    jsonschema.Draft202012Validator(schema()).validate(data)
    assert data["name"] == path.stem
    assert len(data["description"]) > 40  # says what it simulates
    plan = load_scenario(path)
    assert isinstance(plan, FaultPlan)
    assert [fault.kind for fault in plan.faults] == [fault["type"] for fault in data["faults"]]


def test_examples_cover_every_fault_type_in_both_formats() -> None:
    kinds = {fault["type"] for path in EXAMPLES for fault in parsed(path)["faults"]}
    assert kinds == set(FAULT_TYPES)
    assert {path.suffix for path in EXAMPLES} == {".json", ".yaml"}


def test_examples_are_used_by_the_plugin_tests() -> None:
    sources = "".join(path.read_text() for path in Path(__file__).parent.glob("test_plg_*.py"))
    unused = [path.name for path in EXAMPLES if f'"{path.name}"' not in sources]
    assert unused == []


# ---- broken scenarios ---------------------------------------------------------------------------

BROKEN = [
    (
        "bad-error.yaml",
        "faults:\n  - type: api_error\n    error: Throttled\n",
        "at .faults[0].error: 'Throttled' is not one of",
    ),
    (
        "no-seconds.json",
        '{"faults": [{"type": "delay_signal", "signalName": "go"}]}',
        "at .faults[0]: 'seconds' is a required property",
    ),
    (
        "typo.yaml",
        "faults:\n  - type: clock_jump\n    seconds: 60\n  - type: s3_slow\n    sconds: 5\n",
        "at .faults[1]: 'seconds' is a required property; "
        "Additional properties are not allowed ('sconds' was unexpected)",
    ),
    (
        "rate.json",
        '{"faults": [{"type": "worker_hangs", "rate": 1.5}]}',
        "at .faults[0].rate: 1.5 is greater than the maximum of 1",
    ),
    (
        "operation.json",
        '{"faults": [{"type": "lost_response", "operations": ["StartWorkflow"]}]}',
        "at .faults[0].operations[0]: 'StartWorkflow' is not an operation of Amazon SWF",
    ),
    (
        "unreadable.yaml",
        "faults: [unclosed\n",
        "cannot parse the scenario as YAML at line 2, column 1: expected ',' or ']', but got "
        "'<stream end>' (while parsing a flow sequence at line 1, column 9)",
    ),
    (
        "unreadable.json",
        '{"faults": [\n  {"type": "clock_jump",}\n]}',
        "cannot parse the scenario as JSON at line 2, column 25: Expecting property name",
    ),
]
IDS = [name for name, _, _ in BROKEN]


@pytest.mark.parametrize(("name", "text", "message"), BROKEN, ids=IDS)
def test_broken_scenario_in_the_fixture(
    swf_faults: Any, tmp_path: Path, name: str, text: str, message: str
) -> None:
    path = tmp_path / name
    path.write_text(text)
    with pytest.raises(ScenarioError) as raised:
        swf_faults(path)
    assert str(raised.value).startswith(f"{path}: ")
    assert message in str(raised.value)


def test_an_unreadable_relative_path_names_where_it_was_looked_for(
    swf_faults: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(FileNotFoundError) as raised:
        swf_faults("scenarios/flaky.yaml")
    assert str(raised.value) == (
        "cannot read the scenario scenarios/flaky.yaml: No such file or directory (tried "
        f"{tmp_path}/scenarios/flaky.yaml: a relative path is resolved against the current "
        f"directory, {tmp_path}; give an absolute path, or one relative to it)"
    )
    with pytest.raises(FileNotFoundError) as raised:
        swf_faults(tmp_path / "flaky.yaml")
    assert str(raised.value) == (
        f"cannot read the scenario {tmp_path}/flaky.yaml: No such file or directory"
    )


def test_broken_scenario_dict_in_the_fixture(swf_faults: Any) -> None:
    with pytest.raises(ScenarioError, match=r"at \.faults\[0\]\.afterHeartbeats: -1 is less"):
        swf_faults({"faults": [{"type": "worker_crashes", "afterHeartbeats": -1}]})


def test_broken_scenarios_in_the_marker(pytester: pytest.Pytester) -> None:
    for name, text, _ in BROKEN:
        (pytester.path / name).write_text(text)
    pytester.makepyfile(
        f"""
        import pytest

        @pytest.mark.parametrize("name", {IDS!r})
        def test_marked(name, request):
            request.applymarker(pytest.mark.swf_faults(name))
            request.getfixturevalue("swf")

        @pytest.mark.swf_faults("missing.yaml")
        def test_missing(swf):
            pass
        """
    )
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(failed=len(BROKEN), errors=1)
    lines = [f"*@pytest.mark.swf_faults: {name}: *{glob(message)}*" for name, _, message in BROKEN]
    missing = (
        "*@pytest.mark.swf_faults: cannot read the scenario missing.yaml: No such file or "
        f"directory (tried {pytester.path}/missing.yaml: a relative path is resolved against "
        f"the current directory, {pytester.path}; give an absolute path, or one relative to it)"
    )
    result.stdout.fnmatch_lines([missing, *lines])  # errors are reported before failures
    assert "faults.py" not in result.stdout.str()  # the message alone, no traceback


@pytest.mark.parametrize(("name", "text", "message"), BROKEN, ids=IDS)
def test_broken_scenario_on_the_command_line(
    pytester: pytest.Pytester, name: str, text: str, message: str
) -> None:
    (pytester.path / name).write_text(text)
    pytester.makepyfile("def test_never_runs(swf):\n    raise AssertionError('ran')\n")
    result = pytester.runpytest("-p", "no:cacheprovider", "--swf-faults", name)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines([f"ERROR: --swf-faults: */{name}: *{glob(message)}*"])
    assert "Traceback" not in result.stderr.str() + result.stdout.str()
