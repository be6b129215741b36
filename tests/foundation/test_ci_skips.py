"""CI cannot hide a skip: with CI=true, a test skipped for want of PostgreSQL, libzbar, CUPS or a
test dependency fails, with the skip's reason; locally it is a skip whose reason is printed."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

INNER_TESTS = textwrap.dedent('''
    import pytest

    def test_on_postgresql(pg_url):
        pass

    def test_printing(cups_queue):
        pass

    def test_old_style_skip():
        pytest.skip("COMPTOIR_TEST_PG_URL not set")

    def test_zbar():
        pytest.skip("libzbar0 absent: Unable to find zbar shared library")

    def test_optional_thing():
        pytest.skip("nothing CI must have")

    @pytest.mark.xfail(reason="CUPS quirk, expected")
    def test_expected_failure():
        assert False

    def test_plain():
        assert True
''')
INNER_DECLARED = textwrap.dedent('''
    import pytest

    def test_declared_test_dependency():
        pytest.importorskip("absent_test_dep")

    def test_declared_dependency_submodule():
        pytest.importorskip("absent_app_dep.widgets")

    def test_undeclared_optional_module():
        pytest.importorskip("nothing_declares_this")
''')
INNER_PYPROJECT = '''[project]
name = "inner"
dependencies = ["Absent-App-Dep-Essentials>=1"]
[project.optional-dependencies]
test = ["absent.test-dep>=1,<2"]
'''
INNER_MODULE_SKIP = "import pytest\npytest.importorskip('cryptography_absent_for_test', reason=\"'cryptography' missing\")\n"


def _run(tmp_path: Path, ci: bool, *only: str) -> subprocess.CompletedProcess:
    tests = tmp_path / "tests"
    tests.mkdir(exist_ok=True)
    shutil.copy(ROOT / "tests" / "conftest.py", tests / "conftest.py")
    (tests / "test_inner.py").write_text(INNER_TESTS, encoding="utf-8")
    (tests / "test_module_skip.py").write_text(INNER_MODULE_SKIP, encoding="utf-8")
    if "test_declared.py" in only:
        (tests / "test_declared.py").write_text(INNER_DECLARED, encoding="utf-8")
        (tmp_path / "pyproject.toml").write_text(INNER_PYPROJECT, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("COMPTOIR_") and k != "CI"}
    env["CI"] = "true" if ci else "false"
    targets = [str(tests / name) for name in only] or [str(tests)]
    return subprocess.run([sys.executable, "-m", "pytest", "-ra", "-p", "no:cacheprovider", "-q", *targets],
                          cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)


def test_locally_each_missing_service_is_a_skip_with_its_reason(tmp_path):
    result = _run(tmp_path, ci=False)
    assert result.returncode == 0, result.stdout
    out = result.stdout
    assert "PostgreSQL: COMPTOIR_TEST_PG_URL not set" in out
    assert "CUPS: COMPTOIR_TEST_CUPS_QUEUE not set" in out
    assert "Unable to find zbar shared library" in out
    assert "'cryptography' missing" in out
    assert out.splitlines()[-1].startswith("1 passed, 6 skipped, 1 xfailed")


def test_in_ci_a_missing_required_service_fails_with_the_reason(tmp_path):
    result = _run(tmp_path, True, "test_inner.py")
    assert result.returncode == 1
    out = result.stdout
    summary = [line for line in out.splitlines() if line.startswith(("FAILED", "ERROR", "SKIPPED"))]
    assert any(line.startswith("ERROR") and "test_on_postgresql" in line for line in summary), summary
    assert any(line.startswith("ERROR") and "test_printing" in line for line in summary), summary
    assert any(line.startswith("FAILED") and "test_old_style_skip" in line for line in summary), summary
    assert any(line.startswith("FAILED") and "test_zbar" in line for line in summary), summary
    assert [line for line in summary if line.startswith("SKIPPED")] == [
        line for line in summary if "nothing CI must have" in line] and len(summary) == 5
    assert "CI=true: PostgreSQL is required in CI and must not be skipped" in out
    assert "CI=true: CUPS is required in CI" in out and "COMPTOIR_TEST_CUPS_QUEUE not set" in out
    assert "1 passed" in out.splitlines()[-1] and "1 xfailed" in out.splitlines()[-1]


def test_in_ci_a_module_skipped_whole_for_a_test_dependency_is_a_collection_error(tmp_path):
    result = _run(tmp_path, True, "test_module_skip.py")
    assert result.returncode == 2  # pytest's "interrupted": collection failed
    assert "ERROR tests/test_module_skip.py" in result.stdout
    assert "CI=true: cryptography is required in CI and must not be skipped" in result.stdout


def test_in_ci_an_importorskip_of_a_declared_dependency_fails_and_others_still_skip(tmp_path):
    """CI installs every extra: a module of a dependency pyproject.toml declares (the test extra
    included, e.g. schemathesis) that cannot be imported is a broken install, not a reason to skip."""
    result = _run(tmp_path, True, "test_declared.py")
    out = result.stdout
    summary = [line for line in out.splitlines() if line.startswith(("FAILED", "SKIPPED"))]
    assert any(line.startswith("FAILED") and "test_declared_test_dependency" in line for line in summary), out
    assert any(line.startswith("FAILED") and "test_declared_dependency_submodule" in line for line in summary), out
    assert any(line.startswith("SKIPPED") and "nothing_declares_this" in line for line in summary), out
    assert "CI=true: the declared dependency 'absent_test_dep' is required in CI" in out
    locally = _run(tmp_path, False, "test_declared.py")
    assert locally.returncode == 0 and "3 skipped" in locally.stdout.splitlines()[-1], locally.stdout
