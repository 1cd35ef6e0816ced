"""One workflow execution run: its identity, configuration, history and open work."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from swfsim.clock import Deadline
from swfsim.model.enums import CloseStatus, ExecutionStatus
from swfsim.model.history import History
from swfsim.model.registry import Domain, JsonDict, RegisteredType, present, wire_time


class Queued:
    """Something that waits on a task list; ``ticket`` is its live queue entry, if any."""

    ticket: int | None = None


@dataclass(frozen=True)
class ExecutionConfig:
    """A run's settings, resolved at start from the request and the workflow type's defaults."""

    task_list: str
    execution_timeout: str
    task_timeout: str
    child_policy: str
    task_priority: str | None = None
    lambda_role: str | None = None

    def wire(self) -> JsonDict:
        """The ``WorkflowExecutionConfiguration`` structure."""
        return present(
            taskStartToCloseTimeout=self.task_timeout,
            executionStartToCloseTimeout=self.execution_timeout,
            taskList={"name": self.task_list},
            taskPriority=self.task_priority,
            childPolicy=self.child_policy,
            lambdaRole=self.lambda_role,
        )


@dataclass(eq=False)
class DecisionAttempt:
    """A started decision task: the token a decider holds and the deadline it works against."""

    scheduled_id: int
    started_id: int
    previous_started_id: int
    token: str
    deadline: Deadline | None = None

    def page_fields(self) -> list[int | str]:
        """What a page token must carry to serve later pages of this task."""
        return [self.scheduled_id, self.started_id, self.previous_started_id, self.token]


@dataclass(frozen=True)
class TaskListOverride:
    """A decision task list set by RespondDecisionTaskCompleted (see its API Reference page).

    With a schedule-to-start timeout it is temporary: a task not started in time, or not
    completed in time, sends the run back to its original list.
    """

    task_list: str
    schedule_to_start: str | None


class DecisionSlot(Queued):
    """A run's decision task state: at most one scheduled and one started task.

    AWS histories show this; see :mod:`swfsim.model.decision_tasks`.
    """

    def __init__(self, run: Run) -> None:
        self.run = run
        self.override: TaskListOverride | None = None
        self.scheduled_id: int | None = None
        self.scheduled_list = run.config.task_list
        self.schedule_deadline: Deadline | None = None
        self.started: DecisionAttempt | None = None
        self.previous_started_id = 0
        self.held = False
        self.wanted = False

    @property
    def task_list(self) -> str:
        """The list the next decision task is scheduled on."""
        return self.override.task_list if self.override else self.run.config.task_list

    @property
    def priority(self) -> int:
        """Dispatch priority of the run's decision tasks."""
        return int(self.run.config.task_priority or 0)

    @property
    def open(self) -> bool:
        """Whether a decision task is scheduled or started."""
        return self.scheduled_id is not None or self.started is not None


class ActivityState(Enum):
    """Where an activity task is in its life."""

    SCHEDULED = "scheduled"
    STARTED = "started"
    CLOSED = "closed"


@dataclass(eq=False)
class ActivityTask(Queued):
    """An open activity task of a run."""

    run: Run
    activity_id: str
    activity_type: JsonDict
    scheduled_id: int
    task_list: str
    priority: int
    timeouts: dict[str, str]
    input: str | None = None
    state: ActivityState = ActivityState.SCHEDULED
    started_id: int = 0
    token: str | None = None
    heartbeat_details: str | None = None
    cancel_requested_id: int | None = None
    deadlines: dict[str, Deadline] = field(default_factory=dict)

    def cancel_deadlines(self, *timeout_types: str) -> None:
        """Stop the named timeout clocks of the task, or all of them."""
        for timeout_type in timeout_types or tuple(self.deadlines):
            deadline = self.deadlines.pop(timeout_type, None)
            if deadline is not None:
                deadline.cancel()


@dataclass(eq=False)
class Timer:
    """An open timer of a run."""

    timer_id: str
    started_id: int
    deadline: Deadline


@dataclass(eq=False)
class LambdaTask:
    """An open Lambda task of a run."""

    lambda_id: str
    scheduled_id: int
    started_id: int = 0
    deadline: Deadline | None = None


@dataclass(eq=False)
class ChildLink:
    """A child execution as its parent sees it, from the Initiated event until it closes."""

    initiated_id: int
    workflow_id: str
    workflow_type: JsonDict
    started_id: int = 0
    run: Run | None = None


@dataclass(frozen=True)
class ParentLink:
    """The parent of a child run and the event that initiated the child."""

    run: Run
    initiated_id: int


class Run:
    """A workflow execution run."""

    def __init__(
        self,
        *,
        domain: Domain,
        workflow_id: str,
        run_id: str,
        workflow_type: RegisteredType,
        config: ExecutionConfig,
        tags: list[str | None] | None,
        seq: int,
        start_ms: int,
        history: History,
    ) -> None:
        self.domain = domain
        self.workflow_id = workflow_id
        self.run_id = run_id
        self.workflow_type = workflow_type.ref
        self.config = config
        self.tags = tags
        self.seq = seq
        self.start_ms = start_ms
        self.history = history
        history.owner = self
        self.status = ExecutionStatus.OPEN
        self.close_status: CloseStatus | None = None
        self.close_ms: int | None = None
        self.cancel_requested = False
        self.decision = DecisionSlot(self)
        self.activities: dict[str, ActivityTask] = {}
        self.timers: dict[str, Timer] = {}
        self.lambdas: dict[str, LambdaTask] = {}
        self.children: dict[int, ChildLink] = {}
        self.parent: ParentLink | None = None
        self.latest_activity_ms: int | None = None
        self.latest_context: str | None = None
        self.timeout_deadline: Deadline | None = None
        self.closing_counts: JsonDict | None = None

    @property
    def is_open(self) -> bool:
        """Whether the run is still open."""
        return self.status is ExecutionStatus.OPEN

    @property
    def execution(self) -> JsonDict:
        """The ``WorkflowExecution`` structure naming this run."""
        return {"workflowId": self.workflow_id, "runId": self.run_id}

    @property
    def label(self) -> str:
        """How fault messages name the run."""
        return f"WorkflowExecution=[workflowId={self.workflow_id}, runId={self.run_id}]"

    def info(self) -> JsonDict:
        """The ``WorkflowExecutionInfo`` structure."""
        closed = self.close_ms is not None
        return present(
            execution=self.execution,
            workflowType=self.workflow_type,
            startTimestamp=wire_time(self.start_ms),
            closeTimestamp=wire_time(self.close_ms) if self.close_ms is not None else None,
            executionStatus=self.status.value,
            closeStatus=self.close_status.value if self.close_status else None,
            parent=self.parent.run.execution if self.parent else None,
            tagList=self.tags,
            # Real AWS reports cancelRequested false once the run has closed (real-aws README #9).
            cancelRequested=self.cancel_requested and not closed,
        )

    def open_counts(self) -> JsonDict:
        """The ``WorkflowExecutionOpenCounts``; frozen at close, as AWS reports them."""
        if self.closing_counts is not None:
            return self.closing_counts
        return {
            "openActivityTasks": len(self.activities),
            "openDecisionTasks": 1 if self.decision.open else 0,
            "openTimers": len(self.timers),
            "openChildWorkflowExecutions": len(self.children),
            "openLambdaFunctions": len(self.lambdas),
        }
