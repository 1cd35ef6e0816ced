"""An order workflow for Amazon SWF: a decider and an activity worker written against plain boto3.

Nothing here knows about swfsim; copy this module into a project and it runs against AWS as it is
(the type hints need ``boto3-stubs[swf]`` for mypy only). For one order, the workflow

1. charges the customer's card (activity ``ChargeCard``); a failed or timed-out attempt is retried
   after a back-off timer, up to ``MAX_ATTEMPTS`` attempts;
2. waits out the customer's return window (a ``RETURN_WINDOW`` timer of three days);
3. pays the seller (activity ``PaySeller``) and completes with the settlement as its result.

The decider is stateless, as SWF deciders should be: everything it needs is in the history, and
what one step hands to the next travels in the ``control`` field of the timer between them.

Run it with one decider and one worker (each in its own process or thread, in production)::

    swf = boto3.client("swf")
    register(swf)
    start_order(swf, {"orderId": "1042", "amountCents": 4990, "seller": "acme-books"})
    Decider(swf).poll_once()
    ActivityWorker(swf, order_activities(PaymentGateway())).poll_once()
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable, Mapping, Sequence
from datetime import timedelta
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the stubs are for the type checker; the module runs without them
    from mypy_boto3_swf import SWFClient
    from mypy_boto3_swf.type_defs import (
        ActivityTaskScheduledEventAttributesTypeDef,
        ActivityTypeTypeDef,
        DecisionTaskTypeDef,
        DecisionTypeDef,
        HistoryEventTypeDef,
        WorkflowTypeTypeDef,
    )

DOMAIN = "orders-demo"
DECISION_TASK_LIST = "order-decisions"
ACTIVITY_TASK_LIST = "order-activities"
WORKFLOW_TYPE: WorkflowTypeTypeDef = {"name": "OrderWorkflow", "version": "1.0"}
CHARGE_CARD: ActivityTypeTypeDef = {"name": "ChargeCard", "version": "1.0"}
PAY_SELLER: ActivityTypeTypeDef = {"name": "PaySeller", "version": "1.0"}
ACTIVITY_TYPES = {activity["name"]: activity for activity in (CHARGE_CARD, PAY_SELLER)}

MAX_ATTEMPTS = 3
RETRY_DELAY = timedelta(seconds=10)
RETURN_WINDOW = timedelta(days=3)
RETURN_WINDOW_TIMER = "return-window"

JsonObject = dict[str, Any]
Activity = Callable[[JsonObject], JsonObject]


# ---- registration and start ---------------------------------------------------------------------


def register(swf: SWFClient) -> None:
    """Register the domain, the workflow type and the activity types; already registered is fine."""
    with contextlib.suppress(swf.exceptions.DomainAlreadyExistsFault):
        swf.register_domain(name=DOMAIN, workflowExecutionRetentionPeriodInDays="7")
    with contextlib.suppress(swf.exceptions.TypeAlreadyExistsFault):
        swf.register_workflow_type(
            domain=DOMAIN,
            **WORKFLOW_TYPE,
            defaultTaskList={"name": DECISION_TASK_LIST},
            defaultExecutionStartToCloseTimeout=str(7 * 24 * 3600),
            defaultTaskStartToCloseTimeout="30",
            defaultChildPolicy="TERMINATE",
        )
    for activity_type in ACTIVITY_TYPES.values():
        _register_activity_type(swf, activity_type)


def _register_activity_type(swf: SWFClient, activity_type: ActivityTypeTypeDef) -> None:
    with contextlib.suppress(swf.exceptions.TypeAlreadyExistsFault):
        swf.register_activity_type(
            domain=DOMAIN,
            **activity_type,
            defaultTaskList={"name": ACTIVITY_TASK_LIST},
            defaultTaskScheduleToStartTimeout="300",
            defaultTaskStartToCloseTimeout="60",
            defaultTaskScheduleToCloseTimeout="360",
            defaultTaskHeartbeatTimeout="NONE",
        )


def start_order(swf: SWFClient, order: JsonObject) -> str:
    """Start the workflow of one order (workflowId ``order-<orderId>``); returns the run id."""
    started = swf.start_workflow_execution(
        domain=DOMAIN,
        workflowId=f"order-{order['orderId']}",
        workflowType=WORKFLOW_TYPE,
        input=json.dumps(order),
    )
    return started["runId"]


# ---- the decider --------------------------------------------------------------------------------


class Decider:
    """Polls the workflow's decision task list and answers each task with ``decide``."""

    def __init__(self, swf: SWFClient, identity: str = "decider-1") -> None:
        self.swf = swf
        self.identity = identity

    def poll_once(self) -> bool:
        """Long-poll for one decision task and answer it; False if the poll came back empty."""
        task = self._poll()
        if task is None:
            return False
        decisions = decide_task(task)
        self.swf.respond_decision_task_completed(taskToken=task["taskToken"], decisions=decisions)
        return True

    def _poll(self) -> DecisionTaskTypeDef | None:
        """The next decision task with its whole history (all pages), or None."""
        task = self.swf.poll_for_decision_task(
            domain=DOMAIN, taskList={"name": DECISION_TASK_LIST}, identity=self.identity
        )
        if "taskToken" not in task:  # the poll timed out without a task
            return None
        page = task
        while "nextPageToken" in page:
            page = self.swf.poll_for_decision_task(
                domain=DOMAIN,
                taskList={"name": DECISION_TASK_LIST},
                identity=self.identity,
                nextPageToken=page["nextPageToken"],
            )
            task["events"].extend(page["events"])
        return task


def decide_task(task: DecisionTaskTypeDef) -> list[DecisionTypeDef]:
    """The decisions answering a decision task: a ``poll_for_decision_task`` response with the
    events of all its pages (what ``swfsim replay --decider`` calls)."""
    return decide(task["events"], task["previousStartedEventId"])


def decide(
    events: Sequence[HistoryEventTypeDef], previous_started_id: int
) -> list[DecisionTypeDef]:
    """The decisions answering the events that arrived since the last decision task.

    Args:
        events: the whole history of the run, oldest first.
        previous_started_id: the ``previousStartedEventId`` of the decision task; events up to
            it were answered by an earlier decision task.
    """
    by_id = {event["eventId"]: event for event in events}
    decisions: list[DecisionTypeDef] = []
    for event in events:
        if event["eventId"] > previous_started_id:
            decisions.extend(_react(event, by_id))
    return decisions


def _react(
    event: HistoryEventTypeDef, by_id: Mapping[int, HistoryEventTypeDef]
) -> list[DecisionTypeDef]:
    kind = event["eventType"]
    if kind == "WorkflowExecutionStarted":
        order = event["workflowExecutionStartedEventAttributes"]["input"]
        return [schedule_activity(CHARGE_CARD, order, attempt=1)]
    if kind == "ActivityTaskCompleted":
        completed = event["activityTaskCompletedEventAttributes"]
        scheduled = by_id[completed["scheduledEventId"]]["activityTaskScheduledEventAttributes"]
        return _on_activity_completed(scheduled, completed["result"])
    if kind == "ActivityTaskFailed":
        failed = event["activityTaskFailedEventAttributes"]
        scheduled = by_id[failed["scheduledEventId"]]["activityTaskScheduledEventAttributes"]
        return _retry_or_fail(scheduled, failed.get("reason", "failed"))
    if kind == "ActivityTaskTimedOut":
        timed_out = event["activityTaskTimedOutEventAttributes"]
        scheduled = by_id[timed_out["scheduledEventId"]]["activityTaskScheduledEventAttributes"]
        return _retry_or_fail(scheduled, f"timed out ({timed_out['timeoutType']})")
    if kind == "TimerFired":
        started = by_id[event["timerFiredEventAttributes"]["startedEventId"]]
        return [_scheduled_by_timer(started["timerStartedEventAttributes"]["control"])]
    return []


def _on_activity_completed(
    scheduled: ActivityTaskScheduledEventAttributesTypeDef, result: str
) -> list[DecisionTypeDef]:
    payment = {**json.loads(scheduled["input"]), **json.loads(result)}
    if scheduled["activityType"]["name"] == CHARGE_CARD["name"]:
        # The card is charged; the seller is paid once the customer can no longer return it.
        return [start_timer(RETURN_WINDOW_TIMER, RETURN_WINDOW, PAY_SELLER, payment, attempt=1)]
    return [
        {
            "decisionType": "CompleteWorkflowExecution",
            "completeWorkflowExecutionDecisionAttributes": {"result": json.dumps(payment)},
        }
    ]


def _retry_or_fail(
    scheduled: ActivityTaskScheduledEventAttributesTypeDef, reason: str
) -> list[DecisionTypeDef]:
    activity, attempt = scheduled["activityType"], int(scheduled["control"])
    if attempt >= MAX_ATTEMPTS:
        return [
            {
                "decisionType": "FailWorkflowExecution",
                "failWorkflowExecutionDecisionAttributes": {
                    "reason": f"{activity['name']} failed {attempt} times",
                    "details": reason,
                },
            }
        ]
    delay = RETRY_DELAY * 2 ** (attempt - 1)  # exponential back-off
    timer_id = f"retry-{activity_id(activity, attempt + 1)}"
    return [start_timer(timer_id, delay, activity, json.loads(scheduled["input"]), attempt + 1)]


def _scheduled_by_timer(control: str) -> DecisionTypeDef:
    planned = json.loads(control)
    activity = ACTIVITY_TYPES[planned["activity"]]
    return schedule_activity(activity, json.dumps(planned["input"]), planned["attempt"])


def activity_id(activity: ActivityTypeTypeDef, attempt: int) -> str:
    """The id of one attempt of an activity: ``ChargeCard``, attempt 2 -> ``charge-card-2``."""
    words = "".join(f"-{c.lower()}" if c.isupper() else c for c in activity["name"]).lstrip("-")
    return f"{words}-{attempt}"


def schedule_activity(activity: ActivityTypeTypeDef, payload: str, attempt: int) -> DecisionTypeDef:
    """A ScheduleActivityTask decision for one attempt; the attempt number rides in ``control``."""
    return {
        "decisionType": "ScheduleActivityTask",
        "scheduleActivityTaskDecisionAttributes": {
            "activityType": activity,
            "activityId": activity_id(activity, attempt),
            "control": str(attempt),
            "input": payload,
            "taskList": {"name": ACTIVITY_TASK_LIST},
        },
    }


def start_timer(
    timer_id: str, delay: timedelta, then: ActivityTypeTypeDef, payload: JsonObject, attempt: int
) -> DecisionTypeDef:
    """A StartTimer decision whose firing schedules attempt ``attempt`` of activity ``then``."""
    planned = {"activity": then["name"], "input": payload, "attempt": attempt}
    return {
        "decisionType": "StartTimer",
        "startTimerDecisionAttributes": {
            "timerId": timer_id,
            "startToFireTimeout": str(int(delay.total_seconds())),
            "control": json.dumps(planned),
        },
    }


# ---- the activity worker ------------------------------------------------------------------------


class ActivityWorker:
    """Polls the activity task list and runs each task with the activity of its type's name."""

    def __init__(
        self, swf: SWFClient, activities: Mapping[str, Activity], identity: str = "worker-1"
    ) -> None:
        self.swf = swf
        self.activities = activities
        self.identity = identity

    def poll_once(self) -> bool:
        """Long-poll for one activity task and run it; False if the poll came back empty."""
        task = self.swf.poll_for_activity_task(
            domain=DOMAIN, taskList={"name": ACTIVITY_TASK_LIST}, identity=self.identity
        )
        if "taskToken" not in task:  # the poll timed out without a task
            return False
        activity = self.activities[task["activityType"]["name"]]
        try:
            result = activity(json.loads(task.get("input", "{}")))
        except Exception as error:  # any failure goes to SWF: the decider decides on retries
            self.swf.respond_activity_task_failed(
                taskToken=task["taskToken"], reason=type(error).__name__, details=str(error)
            )
        else:
            self.swf.respond_activity_task_completed(
                taskToken=task["taskToken"], result=json.dumps(result)
            )
        return True


class GatewayTimeoutError(Exception):
    """The payment gateway did not answer in time."""


class PaymentGateway:
    """A stand-in for the payment provider the activities call.

    Args:
        flaky_charges: how many of the first charges time out before charges succeed.
    """

    def __init__(self, flaky_charges: int = 0) -> None:
        self.flaky_charges = flaky_charges
        self.charges = 0

    def charge(self, order_id: str, amount_cents: int) -> str:
        """Charge the customer; returns the charge id.

        Raises:
            GatewayTimeoutError: for each of the first ``flaky_charges`` calls.
        """
        self.charges += 1
        if self.charges <= self.flaky_charges:
            raise GatewayTimeoutError(
                f"gateway timed out after 5 s (order {order_id}, {amount_cents} cents)"
            )
        return f"ch_{order_id}_{self.charges}"

    def pay_out(self, seller: str, amount_cents: int) -> str:
        """Pay the seller; returns the payout id."""
        return f"po_{seller}_{amount_cents}"


def order_activities(gateway: PaymentGateway) -> dict[str, Activity]:
    """The workflow's activities by type name, calling ``gateway``."""

    def charge_card(order: JsonObject) -> JsonObject:
        return {"chargeId": gateway.charge(order["orderId"], order["amountCents"])}

    def pay_seller(payment: JsonObject) -> JsonObject:
        return {"payoutId": gateway.pay_out(payment["seller"], payment["amountCents"])}

    return {CHARGE_CARD["name"]: charge_card, PAY_SELLER["name"]: pay_seller}
