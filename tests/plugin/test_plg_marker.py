"""``@pytest.mark.swf(...)``: the settings of a test's simulator, and what it registers."""

from __future__ import annotations

import pytest

pytest_plugins = ["pytester"]


def run(pytester: pytest.Pytester, source: str, *args: str) -> pytest.RunResult:
    pytester.makepyfile(source)
    return pytester.runpytest("-p", "no:cacheprovider", "--strict-markers", *args)


def test_seed_start_and_clock_mode(pytester: pytest.Pytester) -> None:
    result = run(
        pytester,
        """
        import pytest

        @pytest.mark.swf(seed=42, start="2030-06-01T12:00:00Z", clock_mode="manual")
        def test_settings(swf, swf_clock):
            assert swf.seed == 42
            assert swf_clock.now().isoformat() == "2030-06-01T12:00:00+00:00"
            assert swf.clock_mode == "manual"

        def test_defaults(swf, swf_clock):
            assert swf.seed == 0
            assert swf_clock.now().isoformat() == "2026-01-01T00:00:00+00:00"
            assert swf.clock_mode == "auto"

        @pytest.mark.swf(seed=5)
        class TestOnAClass:
            def test_inherits(self, swf):
                assert swf.seed == 5

            @pytest.mark.swf(seed=6)
            def test_closest_wins(self, swf):
                assert swf.seed == 6
        """,
    )
    result.assert_outcomes(passed=4)


def test_same_seed_same_ids(pytester: pytest.Pytester) -> None:
    # The run ids a test sees depend on its seed alone: a failure replays with the same ids.
    result = run(
        pytester,
        """
        import pytest

        def start(client):
            client.register_domain(name="d", workflowExecutionRetentionPeriodInDays="1")
            client.register_workflow_type(
                domain="d", name="w", version="1", defaultTaskList={"name": "l"},
                defaultExecutionStartToCloseTimeout="60", defaultTaskStartToCloseTimeout="10",
                defaultChildPolicy="TERMINATE",
            )
            return client.start_workflow_execution(
                domain="d", workflowId="w-1", workflowType={"name": "w", "version": "1"}
            )["runId"]

        @pytest.mark.parametrize("seed", [3, 3, 4])
        def test_run_id(request, seed, swf_client):
            print(f"RUN seed={seed} runId={start(swf_client)}")

        @pytest.fixture(autouse=True)
        def _seed(request, seed):
            request.node.add_marker(pytest.mark.swf(seed=seed))
        """,
        "-s",
    )
    result.assert_outcomes(passed=3)
    printed = [line.split("RUN ")[1] for line in result.outlines if "RUN " in line]
    seeds = [line.split()[0] for line in printed]
    run_ids = [line.split("runId=")[1] for line in printed]
    assert seeds == ["seed=3", "seed=3", "seed=4"]
    assert run_ids[0] == run_ids[1] != run_ids[2]


def test_pre_registration(pytester: pytest.Pytester) -> None:
    result = run(
        pytester,
        """
        import pytest

        @pytest.mark.swf(
            domains=["shop", {"name": "audit", "workflowExecutionRetentionPeriodInDays": "30"}],
            workflow_types=["order", {"name": "refund", "version": "2", "domain": "audit"}],
            activity_types=["charge", {"name": "ship", "defaultTaskHeartbeatTimeout": "60"}],
        )
        def test_registered(swf_client):
            domains = swf_client.list_domains(registrationStatus="REGISTERED")["domainInfos"]
            assert sorted(info["name"] for info in domains) == ["audit", "shop"]
            audit = swf_client.describe_domain(name="audit")["configuration"]
            assert audit["workflowExecutionRetentionPeriodInDays"] == "30"

            # Types go to the first domain unless they name theirs; version "1" by default;
            # the default task list is named after the type.
            order = swf_client.describe_workflow_type(
                domain="shop", workflowType={"name": "order", "version": "1"}
            )["configuration"]
            assert order["defaultTaskList"] == {"name": "order"}
            assert order["defaultChildPolicy"] == "TERMINATE"
            swf_client.describe_workflow_type(
                domain="audit", workflowType={"name": "refund", "version": "2"}
            )
            ship = swf_client.describe_activity_type(
                domain="shop", activityType={"name": "ship", "version": "1"}
            )["configuration"]
            assert ship["defaultTaskHeartbeatTimeout"] == "60"
            assert ship["defaultTaskList"] == {"name": "ship"}

            # Ready to start at once: the defaults make every run startable.
            swf_client.start_workflow_execution(
                domain="shop", workflowId="o-1", workflowType={"name": "order", "version": "1"}
            )
        """,
    )
    result.assert_outcomes(passed=1)


def test_options_freeze_time_and_rate(pytester: pytest.Pytester) -> None:
    result = run(
        pytester,
        """
        import time
        from datetime import datetime, timezone

        import pytest
        import swfsim

        @pytest.mark.swf(domains=["d"], options=swfsim.Options(poll_timeout_seconds=5))
        def test_options(swf_client, swf_clock):
            poll = swf_client.poll_for_decision_task(domain="d", taskList={"name": "none"})
            assert "taskToken" not in poll
            assert swf_clock.now().isoformat() == "2026-01-01T00:00:05+00:00"

        @pytest.mark.swf(freeze_time=True, start="2030-01-01T00:00:00Z")
        def test_freeze_time(swf_clock):
            assert datetime.now(timezone.utc) == datetime(2030, 1, 1, tzinfo=timezone.utc)
            swf_clock.advance(90)
            assert time.time() == datetime(2030, 1, 1, 0, 1, 30, tzinfo=timezone.utc).timestamp()

        def test_time_is_real_again():
            assert datetime.now(timezone.utc).year < 2030

        @pytest.mark.swf(domains=["d"], clock_mode="realtime", rate=3600)
        def test_rate(swf_client, swf_clock):
            began = time.monotonic()
            # Nothing to wait for: a realtime poll waits 60 virtual seconds, 1/60 s of wall time.
            swf_client.poll_for_decision_task(domain="d", taskList={"name": "none"})
            assert swf_clock.now().isoformat() >= "2026-01-01T00:01:00+00:00"
            assert time.monotonic() - began < 5
        """,
    )
    result.assert_outcomes(passed=4)


def test_manual_clock_mode_waits_for_the_test(pytester: pytest.Pytester) -> None:
    result = run(
        pytester,
        """
        import threading
        import pytest

        @pytest.mark.swf(clock_mode="manual", domains=["d"])
        def test_poll_waits_until_the_clock_moves(swf_client, swf_clock):
            answers = []
            poller = threading.Thread(target=lambda: answers.append(
                swf_client.poll_for_decision_task(domain="d", taskList={"name": "none"})
            ))
            poller.start()
            poller.join(0.2)
            assert poller.is_alive() and answers == []  # manual: nothing moves time
            swf_clock.advance(60)
            poller.join(10)
            assert len(answers) == 1 and "taskToken" not in answers[0]
        """,
    )
    result.assert_outcomes(passed=1)


def test_marker_mistakes_are_named(pytester: pytest.Pytester) -> None:
    result = run(
        pytester,
        """
        import pytest

        @pytest.mark.swf(sed=1)
        def test_typo(swf):
            pass

        @pytest.mark.swf(7)
        def test_positional(swf):
            pass

        @pytest.mark.swf(start="2030-01-01T00:00:00")
        def test_naive_start(swf):
            pass

        @pytest.mark.swf(start="next tuesday")
        def test_bad_start(swf):
            pass

        @pytest.mark.swf(workflow_types=["order"])
        def test_type_without_domain(swf):
            pass
        """,
    )
    result.assert_outcomes(errors=5)
    result.stdout.fnmatch_lines(
        [
            "*@pytest.mark.swf has no setting 'sed'; it takes activity_types, clock_mode, *",
            "*@pytest.mark.swf takes keyword arguments only*",
            "*start time '2030-01-01T00:00:00' needs a time zone (e.g. 2030-01-01T00:00:00Z)*",
            "*start time 'next tuesday' is not an ISO 8601 time*",
            "*@pytest.mark.swf: no domain for type order (give domains=[[]...[]])*",
        ]
    )
    # The message is the whole report: no traceback through swfsim's internals.
    assert "pytest_swfsim/" not in result.stdout.str()
    assert "During handling" not in result.stdout.str()


def test_registration_mistakes_are_named(pytester: pytest.Pytester) -> None:
    result = run(
        pytester,
        """
        import pytest

        @pytest.mark.swf(
            domains=["shop"], workflow_types=[{"name": "order", "defaultTaskLst": {"name": "o"}}]
        )
        def test_typo_in_a_type(swf):
            pass

        @pytest.mark.swf(domains=["shop"], activity_types=["ship", {"version": "2"}])
        def test_type_without_name(swf):
            pass

        @pytest.mark.swf(domains=[{"workflowExecutionRetentionPeriodInDays": "3"}])
        def test_domain_without_name(swf):
            pass

        @pytest.mark.swf(clock_mode="fast")
        def test_unknown_clock_mode(swf):
            pass

        @pytest.mark.swf(domains="shop")
        def test_a_string_for_a_list(swf):
            pass

        @pytest.mark.swf(
            domains=["shop"],
            workflow_types=[{"name": "order", "defaultTaskStartToCloseTimeout": "soon"}],
        )
        def test_the_service_refuses(swf):
            pass
        """,
    )
    result.assert_outcomes(errors=6)
    result.stdout.fnmatch_lines(
        [
            "*@pytest.mark.swf: workflow_types[[]0[]] has no key 'defaultTaskLst' (did you mean "
            "'defaultTaskList'? RegisterWorkflowType takes domain, name, version, *)",
            "*@pytest.mark.swf: activity_types[[]1[]] {'version': '2'} has no 'name' "
            '(give {"name": "charge", ...}, or the name alone)',
            "*@pytest.mark.swf: domains[[]0[]] {*} has no 'name' *",
            "*@pytest.mark.swf: clock_mode='fast' is not one of auto, manual, realtime",
            "*@pytest.mark.swf: domains takes a list, not 'shop' (give [[]'shop'[]])",
            "*@pytest.mark.swf: cannot register workflow_types[[]0[]] order: ValidationException: "
            "*Value 'soon' at 'defaultTaskStartToCloseTimeout' failed to satisfy constraint*",
        ]
    )
    assert "pytest_swfsim/" not in result.stdout.str()
    assert "Traceback" not in result.stdout.str()


def test_a_marker_on_a_test_without_a_simulator_warns(pytester: pytest.Pytester) -> None:
    result = run(
        pytester,
        """
        import pytest

        @pytest.mark.swf(seed=3)
        def test_forgot_the_fixture():
            pass

        @pytest.mark.swf_faults("flaky.yaml")
        def test_forgot_it_too(tmp_path):
            pass

        @pytest.fixture
        def order_client(swf_client):
            return swf_client

        @pytest.mark.swf(seed=4)
        def test_through_another_fixture(order_client):
            pass

        # A class marker may cover tests that need no simulator: they are left alone.
        @pytest.mark.swf(seed=5)
        class TestMixed:
            def test_uses_it(self, swf_clock):
                pass

            def test_does_not(self):
                pass
        """,
    )
    result.assert_outcomes(passed=5, warnings=2)
    fixtures = "swf, swf_client, swf_clock, swf_endpoint, swf_s3, swf_faults"
    result.stdout.fnmatch_lines(
        [
            "*SwfMarkerWarning: @pytest.mark.swf on test_forgot_the_fixture has no effect: the "
            f"test uses no swfsim fixture; request one of {fixtures}, or drop the marker",
            "*SwfMarkerWarning: @pytest.mark.swf_faults on test_forgot_it_too has no effect: *",
        ]
    )


def test_markers_are_registered(pytester: pytest.Pytester) -> None:
    result = pytester.runpytest("--markers")
    result.stdout.fnmatch_lines(
        [
            "@pytest.mark.swf(seed=None, start=None, clock_mode=None, *",
            "@pytest.mark.swf_faults(*scenarios, seed=None): *",
        ]
    )
