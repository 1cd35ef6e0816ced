"""Run moto's own black-box SWF tests against swfsim, and check them against docs/moto_tests.md.

Downloads moto's source distribution with pip (PyPI), unpacks its ``tests/test_swf`` into a
work folder outside the repository, puts ``tools/moto_swf_shim.py`` beside it as ``conftest.py``
(it swaps ``moto.mock_aws`` for ``swfsim.mock_swf``) and runs the black-box tests: those that
talk to the service through boto3 only (``responses/`` and ``test_swf_integration.py``). The
tests that import moto's models are not run.

Every failure must be listed in docs/moto_tests.md, with the reason, and every test listed there
that ran must fail: the exit status is 0 only then. Arguments after ``--`` go to pytest (``-k``
to run a few).

Run: python tools/run_moto_swf_tests.py [--moto-version 5.2.1] [--workdir DIR] [-- PYTEST-ARGS]
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHIM = REPO / "tools" / "moto_swf_shim.py"
DOCS = REPO / "docs" / "moto_tests.md"
BLACK_BOX = ("test_swf/responses", "test_swf/test_swf_integration.py")
# A row of the page's table of failures: | `responses/test_x.py::test_y` | b | why |
LISTED = re.compile(r"^\| `([\w/]+\.py::[\w\[\]-]+)` \| (\w) \|", re.MULTILINE)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--moto-version", default="5.2.1")
    parser.add_argument("--workdir", type=Path, help="default: a folder in the temp directory")
    parser.add_argument("pytest_args", nargs="*", help="passed to pytest (after --)")
    args = parser.parse_args(argv)
    workdir = args.workdir or Path(tempfile.gettempdir()) / f"swfsim-moto-{args.moto_version}"
    workdir.mkdir(parents=True, exist_ok=True)
    unpack(download(args.moto_version, workdir), args.moto_version, workdir)
    ran, failed = run(workdir, args.pytest_args)
    return compare(ran, failed, listed())


def download(version: str, workdir: Path) -> Path:
    """moto's sdist in ``workdir``, fetched with pip unless already there."""
    sdist = workdir / f"moto-{version}.tar.gz"
    if not sdist.exists():
        pip = [sys.executable, "-m", "pip", "download", f"moto=={version}"]
        options = ["--no-binary", ":all:", "--no-deps", "--quiet", "-d", str(workdir)]
        subprocess.run([*pip, *options], check=True)
    return sdist


def unpack(sdist: Path, version: str, workdir: Path) -> None:
    """Extract ``tests/test_swf`` afresh to ``workdir/test_swf`` and put the shim beside it."""
    prefix = f"moto-{version}/tests/"
    target = workdir / "test_swf"
    shutil.rmtree(target, ignore_errors=True)
    with tarfile.open(sdist) as archive:
        members = [m for m in archive.getmembers() if m.name.startswith(prefix + "test_swf/")]
        for member in members:
            member.name = member.name.removeprefix(prefix)
        archive.extractall(workdir, members=members, filter="data")
    shutil.copy(SHIM, workdir / "conftest.py")
    # An ini file of its own keeps pytest from adopting a configuration found further up.
    (workdir / "pytest.ini").write_text("[pytest]\n")


def run(workdir: Path, extra: list[str]) -> tuple[set[str], dict[str, str]]:
    """Run the black-box tests: the tests that ran, and the failed ones with the first line of
    their failure."""
    report = workdir / "report.xml"
    command = [sys.executable, "-m", "pytest", *BLACK_BOX, "-q", "-p", "no:randomly"]
    command += ["-p", "no:cacheprovider", "-p", "no:swfsim", f"--junitxml={report}", *extra]
    subprocess.run(command, cwd=workdir, check=False)
    ran, failed = set(), {}
    for case in ET.parse(report).iter("testcase"):
        module = case.attrib["classname"].removeprefix("test_swf.").replace(".", "/")
        test_id = f"{module}.py::{case.attrib['name']}"
        ran.add(test_id)
        problem = case.find("failure")
        if problem is None:
            problem = case.find("error")
        if problem is not None:
            failed[test_id] = (problem.attrib.get("message") or "?").splitlines()[0][:160]
    return ran, failed


def listed() -> dict[str, str]:
    """The failures docs/moto_tests.md explains, each with its category."""
    return dict(LISTED.findall(DOCS.read_text()))


def compare(ran: set[str], failed: dict[str, str], expected: dict[str, str]) -> int:
    """Print how the run compares with the page; 0 when they agree on every test that ran."""
    unexplained = sorted(set(failed) - set(expected))
    now_passing = sorted((set(expected) & ran) - set(failed))
    counts = Counter(expected[test] for test in failed if test in expected)
    print(f"\n{len(ran)} ran, {len(failed)} failed; by category: {dict(sorted(counts.items()))}")
    for test in unexplained:
        print(f"NOT LISTED in {DOCS.name}: {test}\n    {failed[test]}")
    for test in now_passing:
        print(f"LISTED in {DOCS.name} but passes now: {test}")
    if unexplained or now_passing:
        return 1
    print(f"every failure is listed in {DOCS.name}, and every listed test that ran failed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
