"""An SWF coverage report (:class:`swfsim.coverage.SwfCoverage`) as text, JSON or an HTML page."""

from __future__ import annotations

import json
import textwrap
from collections.abc import Sequence
from html import escape

from swfsim.coverage import SETS, SetSummary, SwfCoverage

REPORT_FORMAT = "swfsim-coverage/1"
_SHOWN_MISSING = ("events", "decisions")


def format_text(coverage: SwfCoverage, *, verbose: bool = False, width: int = 100) -> str:
    """One line per set (reached, total, percent), then what events and decisions were missed.

    Args:
        coverage: the counts to report.
        verbose: also list the causes and timeout types missed.
        width: the width missed items are wrapped to.
    """
    summaries = coverage.summary()
    lines = [f"{s.name:<10} {len(s.reached):>3}/{s.total:<3} {s.percent:5.1f}%" for s in summaries]
    for s in summaries:
        if s.missed and (verbose or s.name in _SHOWN_MISSING):
            lines.append(f"{s.name} never reached:")
            lines += textwrap.wrap(
                ", ".join(s.missed), width, initial_indent="  ", subsequent_indent="  "
            )
    return "\n".join(lines)


def to_json(coverage: SwfCoverage) -> str:
    """The report as JSON: per set the counts of items reached, the items missed, the percent."""
    data = {
        "format": REPORT_FORMAT,
        "total_percent": round(coverage.percent(), 2),
        "sets": {
            s.name: {
                "percent": round(s.percent, 2),
                "reached": dict(s.reached),
                "missed": list(s.missed),
            }
            for s in coverage.summary()
        },
    }
    return json.dumps(data, indent=2)


def counts_from_json(text: str) -> dict[str, dict[str, int]]:
    """The counts of a report written by :func:`to_json` (for :meth:`SwfCoverage.merge`)."""
    data = json.loads(text)
    if not isinstance(data, dict) or data.get("format") != REPORT_FORMAT:
        raise ValueError(f"not an SWF coverage report (expected format {REPORT_FORMAT!r})")
    return {name: dict(data["sets"][name]["reached"]) for name in SETS if name in data["sets"]}


def to_html(coverage: SwfCoverage, *, title: str = "SWF coverage") -> str:
    """The report as a self-contained HTML page: a table per set, missed items first."""
    summaries = coverage.summary()
    return _PAGE.format(
        title=escape(title),
        total=f"{coverage.percent():.1f}",
        overview="".join(_overview_row(s) for s in summaries),
        sets="".join(_set_table(s) for s in summaries),
    )


def _overview_row(summary: SetSummary) -> str:
    return (
        f'<tr data-set="{summary.name}"><th><a href="#{summary.name}">{summary.name}</a></th>'
        f"<td>{len(summary.reached)}/{summary.total}</td>"
        f'<td><span class="meter"><span style="width:{summary.percent:.1f}%"></span></span> '
        f"{summary.percent:.1f}%</td></tr>"
    )


def _set_table(summary: SetSummary) -> str:
    rows: Sequence[str] = [
        f'<tr class="missed"><td>{escape(item)}</td><td>never</td></tr>' for item in summary.missed
    ] + [
        f'<tr class="reached"><td>{escape(item)}</td><td>{count}</td></tr>'
        for item, count in summary.reached.items()
    ]
    return (
        f'<section id="{summary.name}" data-set="{summary.name}"><h2>{summary.name} '
        f"({len(summary.reached)} of {summary.total} reached)</h2>"
        f"<table><tr><th>item</th><th>times reached</th></tr>{''.join(rows)}</table></section>"
    )


_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>{title}</title>
<style>
body {{ font: 13px/1.4 system-ui, sans-serif; margin: 16px 24px; color: #1d2330; }}
h1 {{ font-size: 18px; }} h2 {{ font-size: 15px; margin-top: 22px; }}
table {{ border-collapse: collapse; }}
th, td {{ text-align: left; padding: 2px 12px 2px 6px; border-bottom: 1px solid #eef0f4; }}
.meter {{ display: inline-block; width: 160px; height: 10px; background: #f3d0d0;
  border-radius: 3px; vertical-align: middle; }}
.meter span {{ display: block; height: 10px; background: #2f9e5b; border-radius: 3px; }}
tr.missed td:first-child {{ color: #b22e2e; }}
tr.missed {{ background: #fdf1f1; }}
tr.reached td:first-child {{ color: #22774a; }}
#sets {{ columns: 2 460px; }} section {{ break-inside: avoid; }}
</style>
</head>
<body>
<h1>{title}: {total}% of SWF's event types, decisions, causes and timeout types reached</h1>
<table class="overview">{overview}</table>
<div id="sets">{sets}</div>
</body>
</html>
"""
