"""Resolving a run's configuration from a request (or decision) and its workflow type."""

from __future__ import annotations

from swfsim.model.registry import JsonDict, RegisteredType, present
from swfsim.model.run import ExecutionConfig

# Settings every run needs, in the order they are reported missing (AWS documents none; moto's
# SWF mock checks them in this order and says it mirrors SWF), with the type default that fills
# each in and the decision failure cause when neither is set.
REQUIRED_SETTINGS = (
    (
        "executionStartToCloseTimeout",
        "defaultExecutionStartToCloseTimeout",
        "DEFAULT_EXECUTION_START_TO_CLOSE_TIMEOUT_UNDEFINED",
    ),
    ("taskList", "defaultTaskList", "DEFAULT_TASK_LIST_UNDEFINED"),
    (
        "taskStartToCloseTimeout",
        "defaultTaskStartToCloseTimeout",
        "DEFAULT_TASK_START_TO_CLOSE_TIMEOUT_UNDEFINED",
    ),
    ("childPolicy", "defaultChildPolicy", "DEFAULT_CHILD_POLICY_UNDEFINED"),
)


class UndefinedSetting(Exception):  # noqa: N818 - a control-flow signal, not an error type
    """A required setting is neither given nor defaulted by the workflow type."""

    def __init__(self, setting: str, default: str, cause: str) -> None:
        super().__init__(setting)
        self.setting = setting
        self.default = default
        self.cause = cause


def resolve(values: JsonDict, workflow_type: RegisteredType) -> ExecutionConfig:
    """The run's settings: each from ``values``, else the type's default.

    Raises:
        UndefinedSetting: the first required setting left unresolved.
    """
    defaults = workflow_type.defaults
    resolved = {}
    for setting, default, cause in REQUIRED_SETTINGS:
        value = values.get(setting, defaults.get(default))
        if value is None:
            raise UndefinedSetting(setting, default, cause)
        resolved[setting] = value
    return ExecutionConfig(
        task_list=resolved["taskList"]["name"],
        execution_timeout=resolved["executionStartToCloseTimeout"],
        task_timeout=resolved["taskStartToCloseTimeout"],
        child_policy=resolved["childPolicy"],
        task_priority=values.get("taskPriority", defaults.get("defaultTaskPriority")),
        lambda_role=values.get("lambdaRole", defaults.get("defaultLambdaRole")),
    )


def run_attributes(
    config: ExecutionConfig, workflow_type: RegisteredType, values: JsonDict
) -> JsonDict:
    """The resolved settings as the members of a Started/ContinuedAsNew/Initiated event."""
    return present(
        input=values.get("input"),
        executionStartToCloseTimeout=config.execution_timeout,
        taskStartToCloseTimeout=config.task_timeout,
        childPolicy=config.child_policy,
        taskList={"name": config.task_list},
        taskPriority=config.task_priority,
        workflowType=workflow_type.ref,
        tagList=values.get("tagList"),
        lambdaRole=config.lambda_role,
    )
