"""simpleflow workflows as deciders: each decision task is answered by simpleflow's own executor.

simpleflow's decider turns a ``PollForDecisionTask`` response into a ``Response`` (the history
as simpleflow's ``History``, the run as a ``WorkflowExecution``), asks
``simpleflow.swf.executor.Executor.replay`` for the decisions and the execution context, and
answers ``respond_decision_task_completed`` with them. :func:`simpleflow_decider` does the same
and returns what it would have answered. simpleflow is imported only when it is used.
"""

from __future__ import annotations

import contextvars
from typing import Any

from swfsim.replay._history import JsonDict
from swfsim.replay._replay import Decider


def simpleflow_decider(
    workflow_class: type, *, domain: str = "replay", standalone: bool = False
) -> Decider:
    """A decider that decides as simpleflow's decider does with ``workflow_class``.

    Anything the executor asks of SWF while it decides (simpleflow registers an activity type
    it finds missing, for one) is answered by a throwaway in-memory Simulator: a replay never
    reaches AWS.

    Args:
        workflow_class: a ``simpleflow.Workflow`` subclass (the changed one, to check a change).
        domain: the domain name simpleflow's executor is given.
        standalone: decide as ``simpleflow standalone`` does, whose decider schedules
            activities on the run's own task list (``decider.start`` does not).

    Returns:
        A decider for :func:`swfsim.replay_history` (and ``swfsim replay``): it returns the
        ``respond_decision_task_completed`` keyword arguments, execution context included.
    """
    return _SimpleflowDecider(workflow_class, domain, standalone)


class _SimpleflowDecider:
    def __init__(self, workflow_class: type, domain: str, standalone: bool) -> None:
        import simpleflow.swf.executor  # noqa: F401 - fail now, not at the first task

        from swfsim.simulator import Simulator

        self.workflow_class = workflow_class
        self.domain = domain
        self.standalone = standalone
        self.sandbox = Simulator()
        self.sandbox.handle(
            "RegisterDomain", {"name": domain, "workflowExecutionRetentionPeriodInDays": "1"}
        )
        # simpleflow caches its boto3 clients in a context variable: deciding in a context of
        # our own keeps them out of the caller's, and the next task finds them again (a new
        # client costs a third of a second), routed to the sandbox by mock_swf each time.
        self.context = contextvars.Context()
        self.clients: list[Any] = []

    def __call__(self, task: JsonDict) -> JsonDict:
        from swfsim.transport.boto import mock_swf

        sandbox = mock_swf(self.sandbox, clients=self.clients)
        with sandbox:
            answer: JsonDict = self.context.run(self._decide, task)
            self.clients = sandbox.routed_clients
        return answer

    def _decide(self, task: JsonDict) -> JsonDict:
        from simpleflow.swf.executor import Executor

        response = _response(task, self.domain)
        task_list = _run_task_list(task) if self.standalone else None
        executor = Executor(response.execution.domain, self.workflow_class, task_list)
        return _answer(executor.replay(response))


def _response(task: JsonDict, domain_name: str) -> Any:
    """What simpleflow's ``Decider.poll`` builds from a poll response."""
    from simpleflow.swf.mapper.models import Domain, WorkflowExecution, WorkflowType
    from simpleflow.swf.mapper.models.history import History
    from simpleflow.swf.mapper.responses import Response

    domain = Domain(domain_name)
    workflow_type = WorkflowType(
        domain=domain, name=task["workflowType"]["name"], version=task["workflowType"]["version"]
    )
    execution = WorkflowExecution(
        domain=domain,
        workflow_id=task["workflowExecution"]["workflowId"],
        run_id=task["workflowExecution"]["runId"],
        workflow_type=workflow_type,
    )
    history = History.from_event_list(list(task["events"]))
    return Response(token=task["taskToken"], history=history, execution=execution)


def _run_task_list(task: JsonDict) -> str:
    started: JsonDict = task["events"][0]["workflowExecutionStartedEventAttributes"]
    name: str = started["taskList"]["name"]
    return name


def _answer(decided: Any) -> JsonDict:
    """The respond_decision_task_completed arguments, as simpleflow's ``Decider.complete``
    makes them from the executor's decisions and context."""
    from simpleflow import format as simpleflow_format
    from simpleflow.utils import json_dumps

    decisions = getattr(decided, "decisions", decided)
    context = getattr(decided, "execution_context", None)
    if context is not None and not isinstance(context, str):
        context = json_dumps(context)
    answer: JsonDict = {"decisions": [dict(decision) for decision in decisions]}
    context = simpleflow_format.execution_context(context)
    if context is not None:
        answer["executionContext"] = context
    return answer
