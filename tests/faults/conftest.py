"""The fault-injection runs print their figures at the end of the session, passing or not (a
passing test's output is otherwise hidden)."""

from __future__ import annotations

from tests.workflow.conftest import bdpm_subset  # noqa: F401  (the session's BDPM subset, shared)

FIGURES: list[str] = []


def pytest_terminal_summary(terminalreporter) -> None:
    if FIGURES:
        terminalreporter.section("fault injection")
        for line in FIGURES:
            terminalreporter.write_line(line)
