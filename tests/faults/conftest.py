from tests.workflow.conftest import bdpm_subset  # noqa: F401  (the session's BDPM subset, shared)
