"""A notice shown up front on a dispensing (a line set aside, a product not found …): French text that
also says what it is, as a code and values.

Why a ``str``: the notices are French text for the command line, the logs and the JSON of ``comptoir
propose``; a UI in another language renders one from its code and values (app.ui.notices).
"""

from __future__ import annotations


class Notice(str):
    """French text (the string itself), with ``code`` and ``values`` (value names → text)."""

    code: str
    values: dict[str, str]

    def __new__(cls, message: str, code: str, **values: object) -> Notice:
        notice = super().__new__(cls, message)
        notice.code = code
        notice.values = {key: str(value) for key, value in values.items()}
        return notice

    def __reduce__(self):  # copies and pickles keep the code and values
        return (_rebuild, (str(self), self.code, self.values))


def _rebuild(message: str, code: str, values: dict[str, str]) -> Notice:
    return Notice(message, code, **values)


def line_finding(medication: str, finding) -> Notice:
    """A rule's finding about one line, said as a notice (« medication » : message): its code, variant
    and values travel with it, so that the UI renders it in its language as it renders findings."""
    values = {f"finding_{name}": value for name, value in finding.values}
    return Notice(f"« {medication} » : {finding.message}", "line_finding", medication=medication,
                  finding_code=finding.code, finding_variant=finding.variant or "", **values)
