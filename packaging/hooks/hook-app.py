"""PyInstaller hook for the ``app`` package (Comptoir): what the import analysis cannot see.

- data files: the shipped resources (``app.resources``: BDPM catalogue, demo prescriptions,
  translations, the self-test images) and Alembic's migration scripts, which Alembic reads as files
  (``.py`` included);
- modules loaded by name: the CLI's command modules (``importlib.import_module``) and the Alembic
  modules the migration scripts use.

The sandbox server (``app.sandbox.server`` and what imports it) and the developer-only modules are
excluded in comptoir.spec, not here.
"""

from PyInstaller.utils.hooks import collect_data_files, collect_submodules

datas = collect_data_files("app", excludes=["**/__pycache__/**"])
datas += collect_data_files("app.storage", include_py_files=True, subdir="migrations",
                            excludes=["**/__pycache__/**"])

hiddenimports = [
    "app.resources",
    *collect_submodules("app.cli"),
    "alembic.context",
    "alembic.op",
    *collect_submodules("alembic.ddl"),
    *collect_submodules("alembic.runtime"),
]
