"""The worker: charges the card of an order."""

from __future__ import annotations

import contextlib
import json
from typing import Any

from shopflow.workflow import ACTIVITIES, DOMAIN


def charge(order: dict[str, Any]) -> dict[str, Any]:
    """Charge the order (a payment provider would be called here)."""
    if order["amount"] <= 0:
        raise ValueError(f"cannot charge {order['amount']}")
    return {"order": order["order"], "charged": order["amount"]}


def work_once(swf: Any) -> bool:
    """Poll one activity task and perform it; False if the poll came back empty."""
    task = swf.poll_for_activity_task(domain=DOMAIN, taskList=ACTIVITIES)
    if not task.get("taskToken"):
        return False
    try:
        result = charge(json.loads(task["input"]))
    except ValueError as refused:
        swf.respond_activity_task_failed(taskToken=task["taskToken"], reason=str(refused)[:256])
        return True
    # UnknownResourceFault: the task is closed already. Our first answer arrived but its reply
    # was lost (boto3 retried and was refused), or the task timed out: nothing is left to do.
    with contextlib.suppress(swf.exceptions.UnknownResourceFault):
        swf.respond_activity_task_completed(taskToken=task["taskToken"], result=json.dumps(result))
    return True
