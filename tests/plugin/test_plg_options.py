"""The command-line options: defaults for every test's simulator, refused early when wrong."""

from __future__ import annotations

import pytest
from plg_support import SCENARIOS

pytest_plugins = ["pytester"]

SETTINGS_PROBE = """
import pytest

def test_defaults(swf, swf_clock):
    print(f"SETTINGS seed={swf.seed} now={swf_clock.now().isoformat()} mode={swf.clock_mode.value}")

@pytest.mark.swf(seed=1, start="2020-01-01T00:00:00Z", clock_mode="auto")
def test_marker_wins(swf, swf_clock):
    assert (swf.seed, swf_clock.now().year, swf.clock_mode) == (1, 2020, "auto")

def test_with_endpoint(swf, swf_endpoint):
    print(f"ENDPOINT mode={swf.clock_mode.value}")
"""


def settings(result: pytest.RunResult) -> list[str]:
    return [line.split("SETTINGS ")[1] for line in result.outlines if "SETTINGS " in line]


def endpoint_mode(result: pytest.RunResult) -> str:
    (line,) = [line for line in result.outlines if "ENDPOINT " in line]
    return line.split("ENDPOINT ")[1]


def test_without_options(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(SETTINGS_PROBE)
    result = pytester.runpytest("-p", "no:cacheprovider", "-s")
    result.assert_outcomes(passed=3)
    assert settings(result) == ["seed=0 now=2026-01-01T00:00:00+00:00 mode=auto"]
    assert endpoint_mode(result) == "mode=realtime"


def test_seed_start_and_clock_mode_options(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(SETTINGS_PROBE)
    result = pytester.runpytest(
        "-p",
        "no:cacheprovider",
        "-s",
        "--swf-seed",
        "1234",
        "--swf-start",
        "2031-02-03T04:05:06Z",
        "--swf-clock-mode",
        "manual",
    )
    result.assert_outcomes(passed=3)
    assert settings(result) == ["seed=1234 now=2031-02-03T04:05:06+00:00 mode=manual"]
    assert endpoint_mode(result) == "mode=manual"  # an explicit mode wins over realtime


def test_swf_faults_option_applies_to_every_test(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import os

        def retries(client):
            answer = client.list_domains(registrationStatus="REGISTERED")
            return answer["ResponseMetadata"]["RetryAttempts"]

        def test_first(swf_client):
            assert [retries(swf_client), retries(swf_client)] == [1, 0]

        def test_second_has_its_own_plan(swf_client, tmp_path):
            os.chdir(tmp_path)  # the scenario was found when pytest started
            assert [retries(swf_client), retries(swf_client)] == [1, 0]
        """
    )
    (pytester.path / "scenarios").mkdir()
    (pytester.path / "scenarios" / "throttle.json").write_text(
        '{"faults": [{"type": "api_error", "error": "ThrottlingException", "nth": 1}]}'
    )
    result = pytester.runpytest("-p", "no:cacheprovider", "--swf-faults", "scenarios/throttle.json")
    result.assert_outcomes(passed=2)


def test_swf_faults_option_repeats(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        def test_both_plans(swf):
            assert len(swf.plugins.get_plugins()) == 2
        """
    )
    result = pytester.runpytest(
        "-p",
        "no:cacheprovider",
        "--swf-faults",
        str(SCENARIOS / "flaky-api.yaml"),
        "--swf-faults",
        str(SCENARIOS / "lost-start.json"),
    )
    result.assert_outcomes(passed=1)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--swf-start", "2030-01-01"], "*--swf-start: start time '2030-01-01' needs a time zone*"),
        (["--swf-start", "soon"], "*--swf-start: start time 'soon' is not an ISO 8601 time*"),
        (["--swf-clock-mode", "fast"], "*--swf-clock-mode: invalid choice: 'fast'*"),
        (["--swf-seed", "abc"], "*--swf-seed: invalid int value: 'abc'*"),
        (
            ["--swf-faults", "missing.yaml"],
            "*--swf-faults: cannot read the scenario */missing.yaml: No such file or directory "
            "(missing.yaml is resolved against the directory pytest was started in, *)",
        ),
    ],
    ids=["naive-start", "bad-start", "bad-mode", "bad-seed", "missing-scenario"],
)
def test_bad_values_are_usage_errors(
    pytester: pytest.Pytester, args: list[str], message: str
) -> None:
    pytester.makepyfile("def test_never_runs(swf):\n    raise AssertionError('ran')\n")
    result = pytester.runpytest("-p", "no:cacheprovider", *args)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines([message])
    assert "Traceback" not in result.stderr.str() + result.stdout.str()
