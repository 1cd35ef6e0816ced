"""Scrubbing: aliases are stable, embedded ids are found, chosen members are aliased."""

from __future__ import annotations

import json

import pytest

from swfsim.trace._errors import TraceSecretError
from swfsim.trace._scrub import Scrubber

RUN = "22uyVUDaasNO8Dbs8ei1FBS3LbRenpgCwZEOl+oVaaTj4="


def test_the_same_value_gets_the_same_alias_in_any_member() -> None:
    scrubber = Scrubber()
    started = scrubber.scrub({"runId": RUN})
    described = scrubber.scrub({"execution": {"runId": RUN}, "continuedExecutionRunId": "other"})
    assert started == {"runId": "alias:run:1"}
    assert described == {
        "execution": {"runId": "alias:run:1"},
        "continuedExecutionRunId": "alias:run:2",
    }


def test_ids_inside_other_strings_are_replaced_as_words() -> None:
    scrubber = Scrubber()
    scrubber.scrub({"runId": RUN, "identity": "w"})
    text = json.dumps({"input": f'{{"parent": "{RUN}"}}', "result": "w wins"})
    replaced = scrubber.replace_embedded(text, 8)
    assert RUN not in replaced
    assert "alias:run:1" in replaced
    assert "w wins" in replaced  # a short identity is not looked for inside texts


def test_chosen_paths_match_at_the_end_of_a_member_path() -> None:
    scrubber = Scrubber(paths=["scheduleActivityTaskDecisionAttributes.input"])
    decision = {"scheduleActivityTaskDecisionAttributes": {"input": "card 4111", "activityId": "a"}}
    scrubbed = scrubber.scrub({"decisions": [decision], "input": "kept"})
    assert scrubbed["decisions"][0]["scheduleActivityTaskDecisionAttributes"]["input"] == (
        "alias:scrubbed:1"
    )
    assert scrubbed["input"] == "kept"


def test_a_declared_secret_is_refused_without_showing_it() -> None:
    scrubber = Scrubber(secrets=["s3cr3t-value-123"])
    scrubber.check('{"input":"fine"}')
    with pytest.raises(TraceSecretError) as refused:
        scrubber.check('{"input":"s3cr3t-value-123"}')
    assert "s3cr3t-value-123" not in str(refused.value)
