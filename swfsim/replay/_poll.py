"""What ``PollForDecisionTask`` returned, through boto3, for each decision task of a history.

Events are converted once each, exactly as botocore's parser converts them (timestamps become
datetimes), and the tasks of a history share one events list that grows from task to task: a
fresh copy per task would make a replay cost grow with the square of the history's length. A
decider that keeps a task's ``events`` past its call sees the list grow; one that changes the
list is given a rebuilt one at the next task.
"""

from __future__ import annotations

from swfsim.replay._history import DecisionTaskSpan, History, JsonDict
from swfsim.transport.parsed import converter


class PollFeed:
    """The poll responses of one history's decision tasks, handed out in order."""

    def __init__(self, history: History) -> None:
        self.history = history
        self.convert = converter("HistoryEvent")
        self.events: list[JsonDict] = []
        self.last: JsonDict | None = None  # the list's last event as it was handed out

    def response(self, task: DecisionTaskSpan) -> JsonDict:
        """The ``poll_for_decision_task`` response of ``task`` (tasks in increasing order)."""
        self._extend_to(task.started_id)
        return {
            "taskToken": f"swfsim-replay:{task.started_id}",
            "startedEventId": task.started_id,
            "workflowExecution": self.history.workflow_execution,
            "workflowType": dict(self.history.workflow_type or {}),
            "events": self.events,
            "previousStartedEventId": task.previous_started_id,
            "ResponseMetadata": {
                "RequestId": "swfsim-replay",
                "HTTPStatusCode": 200,
                "HTTPHeaders": {},
                "RetryAttempts": 0,
            },
        }

    def _extend_to(self, started_id: int) -> None:
        events = self.events
        if events and (len(events) > started_id or events[-1] is not self.last):
            events = self.events = []  # the decider changed the list it was given
        source = self.history.events
        events.extend(self.convert(event) for event in source[len(events) : started_id])
        self.last = events[-1] if events else None
