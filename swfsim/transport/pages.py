"""The pages of ``swfsim serve`` for a person with a browser: what the endpoint holds, drawn.

| path | page |
|---|---|
| ``GET /_swfsim/`` | one world's domains, their runs (open and closed) linking to timelines |
| ``GET /_swfsim/timeline`` | ``?domain=&workflowId=&runId=``: a run's timeline, children nested |

Both show one world (``?account=&region=``, the default world without). Both reload every few
seconds while a run they show is open. They only read: a page changes
nothing, and answers with headers that keep other sites from framing it or sniffing it; the
admin API's guard (foreign Host headers) covers these paths as it covers the admin routes.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from urllib.parse import urlencode

from werkzeug.wrappers import Request, Response

from swfsim.model.run import Run
from swfsim.simulator import Simulator
from swfsim.timeline import to_html

Page = Callable[[Simulator, Request], Response]
REFRESH_SECONDS = 2
_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; "
        "frame-ancestors 'none'"
    ),
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
}


def index(sim: Simulator, request: Request) -> Response:
    """Every domain of one world with its executions, newest first, open ones marked."""
    where = {"account": sim.account_id, "region": sim.region}  # timeline links stay in it
    with sim.clock.lock:
        runs = sorted(sim.engine.runs.values(), key=lambda run: -run.seq)
        domains = "".join(
            _domain(name, status.value, [run for run in runs if run.domain.name == name], where)
            for name, status in (
                (domain.name, domain.status) for domain in sim.engine.registry.domains.values()
            )
        )
        busy = any(run.is_open for run in runs)
        now = sim.clock.now().isoformat()
    body = domains or '<p class="empty">No domains yet.</p>'
    return _html(
        _INDEX.format(
            refresh=_refresh(busy),
            now=escape(now),
            world=escape(f"account {sim.account_id}, region {sim.region}"),
            mode=escape(sim.clock_mode.value),
            body=body,
        )
    )


def timeline(sim: Simulator, request: Request) -> Response:
    """One run's timeline, its child runs nested; 404 for a run the world does not hold."""
    args = request.args
    with sim.clock.lock:
        run = _find(sim, args.get("domain", ""), args.get("workflowId", ""), args.get("runId"))
        if run is None:
            return _html(_MISSING, status=404)
        children = {child.run_id: list(child.history.events) for child in _descendants(sim, run)}
        page = to_html(
            list(run.history.events),
            children=children,
            title=f"{run.workflow_id} in domain {run.domain.name}",
            refresh_seconds=REFRESH_SECONDS if run.is_open else None,
        )
    return _html(page)


PAGES: dict[str, Page] = {"page": index, "timeline": timeline}


def _domain(name: str, status: str, runs: list[Run], where: dict[str, str]) -> str:
    empty = '<tr><td colspan="5">no executions</td></tr>'
    rows = "".join(_row(run, where) for run in runs) or empty
    return (
        f'<section class="domain" data-domain="{escape(name)}"><h2>{escape(name)} '
        f'<small>{escape(status)}</small></h2><table class="runs"><tr><th>workflowId</th>'
        f"<th>runId</th><th>type</th><th>status</th><th>events</th></tr>{rows}</table></section>"
    )


def _row(run: Run, where: dict[str, str]) -> str:
    status = run.close_status.value if run.close_status else "OPEN"
    query = urlencode(
        {
            "domain": run.domain.name,
            "workflowId": run.workflow_id,
            "runId": run.run_id,
            **where,
        }
    )
    kind = f"{run.workflow_type['name']} {run.workflow_type['version']}"
    return (
        f'<tr data-status="{status}"><td><a href="timeline?{escape(query)}">'
        f"{escape(run.workflow_id)}</a></td><td><code>{escape(run.run_id)}</code></td>"
        f"<td>{escape(kind)}</td><td>{status}</td><td>{len(run.history.events)}</td></tr>"
    )


def _find(sim: Simulator, domain: str, workflow_id: str, run_id: str | None) -> Run | None:
    matching = [
        run
        for (domain_name, wid, rid), run in sim.engine.runs.items()
        if (domain_name, wid) == (domain, workflow_id) and run_id in (None, "", rid)
    ]
    return max(matching, key=lambda run: run.seq, default=None)


def _descendants(sim: Simulator, parent: Run) -> list[Run]:
    found, pending = [], [parent]
    while pending:
        current = pending.pop()
        children = [
            run for run in sim.engine.runs.values() if run.parent and run.parent.run is current
        ]
        found += children
        pending += children
    return found


def _refresh(busy: bool) -> str:
    return f'<meta http-equiv="refresh" content="{REFRESH_SECONDS}">' if busy else ""


def _html(text: str, status: int = 200) -> Response:
    return Response(text, status=status, mimetype="text/html", headers=_HEADERS)


_STYLE = """<style>
body { font: 13px/1.4 system-ui, sans-serif; margin: 16px 24px; color: #1d2330; }
h1 { font-size: 18px; } h2 { font-size: 15px; margin: 18px 0 4px; } small { color: #5b6475; }
table { border-collapse: collapse; }
th, td { text-align: left; padding: 2px 12px 2px 6px; border-bottom: 1px solid #eef0f4; }
tr[data-status="OPEN"] td:nth-child(4) { color: #4a7fd6; font-weight: 600; }
tr[data-status="FAILED"] td:nth-child(4), tr[data-status="TIMED_OUT"] td:nth-child(4) {
  color: #d64545; }
code { font-size: 11px; color: #5b6475; }
</style>"""
_INDEX = (
    """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
{refresh}<title>swfsim endpoint</title>
"""
    + _STYLE.replace("{", "{{").replace("}", "}}")
    + """
</head>
<body>
<h1>swfsim endpoint</h1>
<p>The world of {world} (<code>?account=&amp;region=</code> shows another). Virtual
time now {now}, clock mode {mode}. Open runs are reloaded every few seconds.</p>
{body}
</body>
</html>
"""
)
_MISSING = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>No such run</title></head>
<body><p>The endpoint holds no such run (it may have expired, or the endpoint was reset).
<a href="./">All executions</a></p></body></html>
"""
