"""Each fixture of the plugin, used as a test project would use it (through ``pytester``)."""

from __future__ import annotations

import pytest
from plg_support import run_python

pytest_plugins = ["pytester"]


def test_swf_is_a_simulator_with_mock_swf_active(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import boto3
        import swfsim

        def test_any_boto3_client_reaches_the_simulator(swf):
            assert isinstance(swf, swfsim.Simulator)
            # Created inside the test, with no region or credentials: routed to `swf`.
            client = boto3.client("swf")
            client.register_domain(name="shop", workflowExecutionRetentionPeriodInDays="1")
            assert "shop" in swf.engine.registry.domains

        def test_each_test_gets_a_fresh_simulator(swf):
            client = boto3.client("swf")
            client.register_domain(name="shop", workflowExecutionRetentionPeriodInDays="1")
            assert list(swf.engine.registry.domains) == ["shop"]
        """
    )
    pytester.runpytest("-p", "no:cacheprovider").assert_outcomes(passed=2)


def test_mock_swf_ends_with_the_test(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import botocore.session

        ORIGINAL = botocore.session.Session.create_client

        def test_uses_swf(swf):
            assert botocore.session.Session.create_client is not ORIGINAL

        def test_after(request):
            assert botocore.session.Session.create_client is ORIGINAL
        """
    )
    pytester.runpytest("-p", "no:cacheprovider").assert_outcomes(passed=2)


def test_swf_client_and_swf_clock(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        from datetime import timedelta

        def test_client_is_bound_to_the_simulator(swf, swf_client):
            assert swf_client.meta.region_name == swf.region == "us-east-1"
            swf_client.register_domain(name="shop", workflowExecutionRetentionPeriodInDays="1")
            described = swf_client.describe_domain(name="shop")
            assert described["domainInfo"]["status"] == "REGISTERED"
            assert described["ResponseMetadata"]["RetryAttempts"] == 0

        def test_clock_is_the_simulators_and_fires_timers(swf, swf_client, swf_clock):
            assert swf_clock is swf.clock
            assert swf_clock.now().isoformat() == "2026-01-01T00:00:00+00:00"
            swf_client.register_domain(name="shop", workflowExecutionRetentionPeriodInDays="1")
            swf_client.register_workflow_type(
                domain="shop", name="wait", version="1", defaultTaskList={"name": "d"},
                defaultExecutionStartToCloseTimeout=str(10 * 86400),
                defaultTaskStartToCloseTimeout="60", defaultChildPolicy="TERMINATE",
            )
            swf_client.start_workflow_execution(
                domain="shop", workflowId="w", workflowType={"name": "wait", "version": "1"}
            )
            task = swf_client.poll_for_decision_task(domain="shop", taskList={"name": "d"})
            swf_client.respond_decision_task_completed(taskToken=task["taskToken"], decisions=[{
                "decisionType": "StartTimer",
                "startTimerDecisionAttributes": {"timerId": "t", "startToFireTimeout": "259200"},
            }])
            swf_clock.advance(timedelta(days=3))
            history = swf.history("shop", "w")
            assert history[-2]["eventType"] == "TimerFired"
            assert swf_clock.now().isoformat() == "2026-01-04T00:00:00+00:00"
        """
    )
    pytester.runpytest("-p", "no:cacheprovider").assert_outcomes(passed=2)


def test_swf_endpoint_serves_a_real_subprocess(pytester: pytest.Pytester) -> None:
    # The subprocess is a real boto3 program: it knows nothing but the environment it gets.
    pytester.makepyfile(
        """
        from plg_support import run_python

        CODE = '''
        import boto3
        swf = boto3.client("swf")
        swf.register_domain(name="from-child", workflowExecutionRetentionPeriodInDays="1")
        infos = swf.list_domains(registrationStatus="REGISTERED")["domainInfos"]
        print(",".join(info["name"] for info in infos))
        '''

        def test_subprocess_uses_url_and_env(swf, swf_endpoint):
            assert swf_endpoint.url.startswith("http://127.0.0.1:")
            assert swf_endpoint.env["AWS_ENDPOINT_URL"] == swf_endpoint.url
            assert swf.clock_mode == "realtime"  # the default when a test uses swf_endpoint
            swf.handle("RegisterDomain", {
                "name": "from-test", "workflowExecutionRetentionPeriodInDays": "1"
            })
            child = run_python(CODE, swf_endpoint.env)
            assert child.returncode == 0, child.stderr
            assert child.stdout.split() == ["from-child,from-test"]
            assert "from-child" in swf.engine.registry.domains
        """
    )
    pytester.syspathinsert(str(_here()))
    pytester.runpytest("-p", "no:cacheprovider").assert_outcomes(passed=1)


def test_swf_s3_shares_the_endpoints_s3(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        from plg_support import run_python

        CODE = '''
        import boto3
        s3 = boto3.client("s3")
        body = s3.get_object(Bucket="steps", Key="wf/steps/a")["Body"].read().decode()
        s3.put_object(Bucket="steps", Key="wf/steps/b", Body=b"from the child")
        print(body)
        '''

        def test_s3_seen_from_both_sides(swf_s3, swf_endpoint):
            assert swf_s3.meta.endpoint_url == swf_endpoint.url
            swf_s3.create_bucket(Bucket="steps")
            swf_s3.put_object(Bucket="steps", Key="wf/steps/a", Body=b"from the test")
            child = run_python(CODE, swf_endpoint.env)
            assert child.returncode == 0, child.stderr
            assert child.stdout.strip() == "from the test"
            listed = swf_s3.list_objects_v2(Bucket="steps")["Contents"]
            assert [item["Key"] for item in listed] == ["wf/steps/a", "wf/steps/b"]

        def test_s3_starts_empty_in_each_test(swf_s3):
            assert swf_s3.list_buckets()["Buckets"] == []
        """
    )
    pytester.syspathinsert(str(_here()))
    pytester.runpytest("-p", "no:cacheprovider").assert_outcomes(passed=2)


def test_swf_faults_fixture_takes_files_dicts_and_faults(pytester: pytest.Pytester) -> None:
    pytester.makefile(
        ".yaml",
        throttle="faults:\n  - {type: api_error, error: ThrottlingException, nth: 1}\n",
    )
    pytester.makepyfile(
        """
        from swfsim.faults import ApiError, FaultPlan

        def retries(client):
            listed = client.list_domains(registrationStatus="REGISTERED")
            return listed["ResponseMetadata"]["RetryAttempts"]

        def test_file(swf_faults, swf_client):
            plans = swf_faults("throttle.yaml")
            assert [type(plan) for plan in plans] == [FaultPlan]
            assert [retries(swf_client), retries(swf_client)] == [1, 0]

        def test_dict(swf_faults, swf_client):
            swf_faults({"faults": [{"type": "api_error", "error": "InternalFailure", "nth": 2}]})
            assert [retries(swf_client), retries(swf_client)] == [0, 1]

        def test_fault_objects_and_their_seed(swf, swf_faults, swf_client):
            (plan,) = swf_faults(ApiError(error="ServiceUnavailable", nth=1), seed=99)
            assert plan.seed == 99
            assert retries(swf_client) == 1
            assert plan.fired[0] == 1

        def test_no_faults_without_the_fixture(swf_client):
            assert [retries(swf_client), retries(swf_client)] == [0, 0]
        """
    )
    pytester.runpytest("-p", "no:cacheprovider").assert_outcomes(passed=4)


def test_swf_client_makes_three_attempts_whatever_the_environment(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    # What botocore would do by default is set to something else: the fixture must not follow.
    monkeypatch.setenv("AWS_RETRY_MODE", "legacy")
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "10")
    pytester.makepyfile(
        """
        import pytest
        from botocore.exceptions import ClientError
        from swfsim.faults import ApiError

        def list_domains(client):
            return client.list_domains(registrationStatus="REGISTERED")

        def test_two_throttles_in_a_row_are_absorbed(swf_client, swf_faults):
            swf_faults(ApiError(error="ThrottlingException", nth=1, times=2))
            assert list_domains(swf_client)["ResponseMetadata"]["RetryAttempts"] == 2

        def test_a_third_reaches_the_test(swf_client, swf_faults):
            swf_faults(ApiError(error="ThrottlingException", nth=1, times=3))
            with pytest.raises(ClientError) as raised:
                list_domains(swf_client)
            assert raised.value.response["ResponseMetadata"]["RetryAttempts"] == 2
        """
    )
    pytester.runpytest("-p", "no:cacheprovider").assert_outcomes(passed=2)


def test_swf_plugins_is_empty_by_default(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        def test_default(swf_plugins, swf):
            assert swf_plugins == []
        """
    )
    pytester.runpytest("-p", "no:cacheprovider").assert_outcomes(passed=1)


def test_run_python_passes_the_environment() -> None:
    # The helper the endpoint tests rely on: the child sees the variables it is given.
    child = run_python("import os; print(os.environ['SWFSIM_PROBE'])", {"SWFSIM_PROBE": "yes"})
    assert child.stdout.strip() == "yes"


def _here() -> str:
    from plg_support import ROOT

    return str(ROOT / "tests" / "plugin")
