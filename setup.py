"""Packages for setuptools: ``app`` and its sub-packages, plus the top-level ``resources/`` folder
installed as ``app.resources`` (so data files are found through the package, frozen or not).
Everything else about the build is in pyproject.toml."""

from setuptools import find_packages, setup

setup(
    packages=find_packages(include=["app", "app.*"]) + ["app.resources"],
    package_dir={"app.resources": "resources"},
)
