"""List and count open and closed executions (their pages in the SWF API Reference)."""

from __future__ import annotations

from swfsim.errors import ValidationException
from swfsim.model.engine import Engine
from swfsim.model.registry import JsonDict, present
from swfsim.model.visibility import ALL, Facet, View, Window
from swfsim.operations._handler import Handler
from swfsim.paging import page_size

_OPEN_FILTERS = ("executionFilter", "typeFilter", "tagFilter")
_CLOSED_FILTERS = ("closeStatusFilter", *_OPEN_FILTERS)


def _millis(epoch_seconds: float) -> int:
    return round(epoch_seconds * 1000)


def _window(time_filter: JsonDict) -> Window:
    latest = time_filter.get("latestDate")
    return Window(_millis(time_filter["oldestDate"]), None if latest is None else _millis(latest))


def _facet(params: JsonDict, exclusive: tuple[str, ...]) -> Facet:
    given = [name for name in exclusive if params.get(name) is not None]
    if len(given) > 1:
        raise ValidationException(
            "Cannot specify more than one exclusive filters in the same query: "
            f"[{', '.join(given)}]; use at most one of {', '.join(exclusive)}"
        )
    if not given:
        return ALL
    value = params[given[0]]
    if given[0] == "executionFilter":
        return ("workflowId", value["workflowId"])
    if given[0] == "typeFilter":
        version = value.get("version")
        return ("type", value["name"], version) if version else ("type", value["name"])
    if given[0] == "tagFilter":
        return ("tag", value["tag"])
    return ("closeStatus", value["status"])


def _open_query(params: JsonDict) -> tuple[View, Facet, Window]:
    return View.OPEN_BY_START, _facet(params, _OPEN_FILTERS), _window(params["startTimeFilter"])


def _closed_query(params: JsonDict) -> tuple[View, Facet, Window]:
    given = [name for name in ("startTimeFilter", "closeTimeFilter") if params.get(name)]
    if len(given) != 1:
        raise ValidationException(
            "Exactly one of startTimeFilter and closeTimeFilter must be specified"
        )
    view = View.CLOSED_BY_START if given[0] == "startTimeFilter" else View.CLOSED_BY_CLOSE
    return view, _facet(params, _CLOSED_FILTERS), _window(params[given[0]])


_QUERIES = {"open": _open_query, "closed": _closed_query}


def _lister(operation: str, query: str) -> Handler:
    build = _QUERIES[query]

    def list_executions(engine: Engine, params: JsonDict) -> JsonDict:
        domain = engine.registry.domain(params["domain"])
        view, facet, window = build(params)
        after = engine.pages.resume(operation, params)
        page = engine.visibility.page(
            domain.name,
            view,
            facet,
            window,
            newest_first=not params.get("reverseOrder"),
            size=page_size(params),
            after=None if after is None else (after[0], after[1]),
        )
        token = None
        if page.resume_after is not None:
            token = engine.pages.issue(operation, params, list(page.resume_after))
        return present(executionInfos=[run.info() for run in page.runs], nextPageToken=token)

    return list_executions


def _counter(query: str) -> Handler:
    build = _QUERIES[query]

    def count_executions(engine: Engine, params: JsonDict) -> JsonDict:
        domain = engine.registry.domain(params["domain"])
        view, facet, window = build(params)
        return {
            "count": engine.visibility.count(domain.name, view, facet, window),
            "truncated": False,
        }

    return count_executions


HANDLERS: dict[str, Handler] = {
    "ListOpenWorkflowExecutions": _lister("ListOpenWorkflowExecutions", "open"),
    "ListClosedWorkflowExecutions": _lister("ListClosedWorkflowExecutions", "closed"),
    "CountOpenWorkflowExecutions": _counter("open"),
    "CountClosedWorkflowExecutions": _counter("closed"),
}
