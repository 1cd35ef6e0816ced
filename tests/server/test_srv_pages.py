"""The endpoint's pages: ``/_swfsim/`` lists domains and executions, each linking to its
timeline; pages of open runs reload; the pages only read, and refuse to be framed."""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser import colours, keep_for_docs, render, screenshot
from html_tree import Element, parse
from timeline_runs import DOMAIN, trip_simulator

from swfsim import Simulator
from swfsim.server import Server


@pytest.fixture
def served() -> Iterator[tuple[Simulator, str]]:
    sim = trip_simulator()
    server = Server(lambda: sim, with_s3=False).start()
    try:
        yield sim, f"{server.url}/_swfsim/"
    finally:
        server.stop()


def _get(url: str) -> tuple[int, dict[str, str], Element]:
    try:
        with urllib.request.urlopen(url, timeout=10) as answer:
            return answer.status, dict(answer.headers), parse(answer.read().decode())
    except urllib.error.HTTPError as refused:
        return refused.code, dict(refused.headers), parse(refused.read().decode())


def _rows(page: Element) -> list[tuple[str, str]]:
    return [
        (row.find_all("a")[0].text, row.attrs["data-status"])
        for row in page.find_all("tr")
        if "data-status" in row.attrs
    ]


def _start_open_run(sim: Simulator) -> None:
    start = {
        "domain": DOMAIN,
        "workflowId": "trip-8",
        "workflowType": {"name": "trip", "version": "1"},
    }
    sim.handle("StartWorkflowExecution", start)


def test_the_index_lists_domains_and_executions(served: tuple[Simulator, str]) -> None:
    _, url = served
    status, headers, page = _get(url)
    assert status == 200
    assert headers["Content-Type"].startswith("text/html")
    (domain,) = page.find_all("section", class_="domain")
    assert domain.attrs["data-domain"] == DOMAIN
    assert _rows(page) == [("trip-7-visa", "COMPLETED"), ("trip-7", "COMPLETED")]
    assert page.find_all("meta", http_equiv="refresh") == []  # nothing left to happen


def test_each_execution_links_to_its_timeline_with_its_children(
    served: tuple[Simulator, str],
) -> None:
    sim, url = served
    _, _, index = _get(url)
    (link,) = [a for a in index.find_all("a") if a.text == "trip-7"]
    status, _, page = _get(url + link.attrs["href"])
    assert status == 200
    assert page.find_all("title")[0].text == f"trip-7 in domain {DOMAIN}"
    (child_run,) = [rid for (_, wid, rid) in sim.engine.runs if wid == "trip-7-visa"]
    assert page.find_all("section", id=f"run-{child_run}")
    assert page.find_all("g", class_="lane", data_kind="timer", data_name="cool-off")


def test_pages_of_open_runs_reload(served: tuple[Simulator, str]) -> None:
    sim, url = served
    _start_open_run(sim)
    _, _, index = _get(url)
    assert ("trip-8", "OPEN") in _rows(index)
    (refresh,) = index.find_all("meta", http_equiv="refresh")
    assert refresh.attrs["content"] == "2"
    _, _, page = _get(f"{url}timeline?domain={DOMAIN}&workflowId=trip-8")
    assert page.find_all("meta", http_equiv="refresh")
    _, _, closed = _get(f"{url}timeline?domain={DOMAIN}&workflowId=trip-7")
    assert closed.find_all("meta", http_equiv="refresh") == []


def test_an_unknown_run_is_a_404_page(served: tuple[Simulator, str]) -> None:
    _, url = served
    status, _, page = _get(f"{url}timeline?domain={DOMAIN}&workflowId=nope")
    assert status == 404
    assert "no such run" in page.all_text()


def test_pages_only_read_and_cannot_be_framed(served: tuple[Simulator, str]) -> None:
    _, url = served
    _, headers, _ = _get(url)
    assert headers["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert "Access-Control-Allow-Origin" not in headers
    # A form post is refused before any route (415); a JSON one by the page itself (405).
    for content_type, status in (("text/plain", 415), ("application/json", 405)):
        request = urllib.request.Request(
            url, data=b"", method="POST", headers={"Content-Type": content_type}
        )
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request, timeout=10)
        assert refused.value.code == status


def test_the_index_draws_in_a_browser(served: tuple[Simulator, str], tmp_path: Path) -> None:
    sim, url = served
    _start_open_run(sim)
    with urllib.request.urlopen(url, timeout=10) as answer:
        saved = tmp_path / "index.html"
        saved.write_bytes(answer.read())
    shown = render(saved, tmp_path / "profile")
    assert shown.console == []
    assert 'data-status="OPEN"' in shown.dom
    png = tmp_path / "endpoint.png"
    screenshot(saved, tmp_path / "profile", png, size=(1000, 300))
    assert len(colours(png)) > 20
    keep_for_docs(png, "endpoint.png")


def test_pages_show_one_world(served: tuple[Simulator, str]) -> None:
    _, url = served
    other = "account=000000000042&region=us-west-2"
    status, _, page = _get(f"{url}?{other}")
    assert status == 200
    assert page.find_all("section", class_="domain") == []
    assert "account 000000000042, region us-west-2" in " ".join(page.all_text().split())
    # The default world's links keep their world, so a timeline opens in it.
    _, _, default = _get(url)
    link = default.find_all("a")[0].attrs["href"]
    assert "account=123456789012" in link
    assert "region=us-east-1" in link
    status, _, _ = _get(f"{url}{link.removeprefix('./')}")
    assert status == 200
    missing, _, _ = _get(f"{url}{link.removeprefix('./')}".replace("us-east-1", "us-west-2"))
    assert missing == 404
