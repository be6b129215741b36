"""What goes into the wheel (everything else about the build is in pyproject.toml).

- ``app`` and every folder under it. Data folders (Alembic's ``migrations/``) are listed as namespace
  packages, as setuptools asks, so their files ship and no build warns about them.
- The top-level ``resources/`` folder becomes the package ``app.resources`` (with each of its
  sub-folders), so an installed, editable or frozen app finds its data through the package;
  ``app/resources_path.py`` is the one place that looks for it (and falls back to the ``resources/``
  folder itself in a checkout run without install).
- Not the developer-only modules: the screenshot driver and the staged sandbox counter are used only
  by ``make screenshots``, the tests and the benchmarks, never by the app. They stay in ``app/ui/`` for
  those (run from the source tree) and are left out of the wheel; the PyInstaller spec excludes them
  as well.
"""

from setuptools import find_namespace_packages, setup
from setuptools.command.build_py import build_py

DEV_ONLY_MODULES = {"app.ui.screenshots", "app.ui.screenshots_team", "app.ui.staging"}
NOT_PACKAGES = ["*__pycache__*", "*.egg-info*"]


class BuildPyWithoutDevModules(build_py):
    def find_package_modules(self, package, package_dir):
        return [(pkg, module, path) for pkg, module, path in super().find_package_modules(package, package_dir)
                if f"{pkg}.{module}" not in DEV_ONLY_MODULES]


resource_packages = ["app.resources"] + [
    f"app.resources.{name}" for name in find_namespace_packages(where="resources", exclude=NOT_PACKAGES)
]

setup(
    packages=find_namespace_packages(include=["app", "app.*"], exclude=NOT_PACKAGES) + resource_packages,
    package_dir={"app.resources": "resources"},
    cmdclass={"build_py": BuildPyWithoutDevModules},
)
