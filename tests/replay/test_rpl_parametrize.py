"""parametrize_histories: a folder of production histories becomes one test per file."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from rpl_support import ROOT

from swfsim.replay import History, parametrize_histories

pytest_plugins = ["pytester"]

ORDER = ROOT / "fixtures" / "histories" / "order"

TEST_MODULE = '''
from pathlib import Path

import swfsim
from swfsim.examples import order_workflow
from swfsim.replay import parametrize_histories

HISTORIES = Path(__file__).parent / "histories"


def no_payout(task):
    """The order decider, changed: it never pays the seller."""
    decisions = order_workflow.decide_task(task)
    return [d for d in decisions if "PaySeller" not in str(d)]


@parametrize_histories(HISTORIES)
def test_the_decider_decides_as_production_did(history):
    assert swfsim.replay_history(history, order_workflow.decide_task).ok


@parametrize_histories(HISTORIES)
def test_a_changed_decider_fails_where_it_differs(history):
    result = swfsim.replay_history(history, no_payout)
    assert result.ok, str(result)
'''


def test_one_test_per_history_file(pytester: pytest.Pytester) -> None:
    shutil.copytree(ORDER, pytester.path / "histories" / "order")
    shutil.copy(ORDER / "charge-failed.json", pytester.path / "histories" / "first.json")
    pytester.makepyfile(test_orders=TEST_MODULE)
    result = pytester.runpytest("-v", "-p", "no:cacheprovider", "-p", "no:randomly")
    outcomes = [
        ("test_the_decider_decides_as_production_did[first]", "PASSED"),
        ("test_the_decider_decides_as_production_did[order/charge-failed]", "PASSED"),
        ("test_the_decider_decides_as_production_did[order/charged-first-time]", "PASSED"),
        ("test_a_changed_decider_fails_where_it_differs[first]", "PASSED"),
        ("test_a_changed_decider_fails_where_it_differs[order/charged-first-time]", "FAILED"),
    ]
    result.stdout.re_match_lines([f".*{re.escape(name)} {outcome}" for name, outcome in outcomes])
    # The failure report is the divergence, side by side.
    result.stdout.fnmatch_lines(["*decision 1: missing*", "*production: event 11 TimerStarted*"])
    result.assert_outcomes(passed=7, failed=3)


def test_the_histories_are_loaded_at_collection() -> None:
    mark = parametrize_histories(ORDER)
    argname, params = mark.args
    assert argname == "history"
    assert [param.id for param in params] == [
        "charge-failed",
        "charge-retried-once",
        "charge-retried-twice",
        "charged-first-time",
    ]
    assert all(isinstance(param.values[0], History) for param in params)


def test_an_empty_folder_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match=r"no history matches \*\.json under"):
        parametrize_histories(tmp_path)
