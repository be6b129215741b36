"""A line's coverage (ALD, work accident, maternity) in FHIR, both ways.

As the ANS IG "FR Document Core" carries it (profile ``fr-medication-request-document``): the
MedicationRequest's ``reasonReference`` points to an Observation — profile
``fr-observation-ald-document`` for "en rapport avec une ALD" (CI-SIS code ``MED-574``),
``fr-observation-work-related-accident-document`` for "en rapport avec un accident du travail ou une
maladie professionnelle" (``GEN-180``) — whose ``valueBoolean`` says yes or no. The reader recognises
the Observation by its code (or, without one, its profile), contained in the line or an entry of the
Bundle. The guides have no maternity element on a line (it is the patient's insurance situation);
the sandbox carries it as its own extension (``systems.INSURANCE_SITUATION``, valueCode
``maternity``). See docs/coverage.md.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from app.domain.prescription import Coverage
from app.eprescription import systems
from app.eprescription.fhir_json import Node

_BY_CODE = {systems.ALD_CODE: Coverage.ALD, systems.WORK_ACCIDENT_CODE: Coverage.WORK_ACCIDENT}
_BY_PROFILE = {systems.ALD_PROFILE: Coverage.ALD, systems.WORK_ACCIDENT_PROFILE: Coverage.WORK_ACCIDENT}
_WRITTEN = {Coverage.ALD: (systems.ALD_CODE, systems.ALD_PROFILE, "En rapport avec une ALD", "ald"),
            Coverage.WORK_ACCIDENT: (systems.WORK_ACCIDENT_CODE, systems.WORK_ACCIDENT_PROFILE,
                                     "En rapport avec un accident du travail ou une maladie professionnelle",
                                     "at-mp")}
MATERNITY_CODE = "maternity"


def _observation_kind(obs: Node) -> Coverage | None:
    for coding in obs.get("code").get("coding").objects():
        kind = _BY_CODE.get(coding.get("code").string() or "")
        if kind is not None:
            return kind
    for profile in obs.get("meta").get("profile").strings():
        kind = _BY_PROFILE.get(profile)
        if kind is not None:
            return kind
    return None


def _contained(line: Node, ref: str) -> Node | None:
    for res in line.get("contained").objects():
        if f"#{res.get('id').string()}" == ref:
            return res
    return None


def coverage_of(line: Node, resolve: Callable[[Any], dict[str, Any] | None]) -> Coverage:
    """The line's coverage: ALD or AT/MP from its reasonReference Observations that say true (ALD
    first when both do), maternity from the sandbox's extension, else droit commun. ``resolve``
    finds a referenced resource among the Bundle's entries."""
    found: set[Coverage] = set()
    for ref in line.get("reasonReference").objects():
        text = ref.get("reference").string() or ""
        obs = _contained(line, text) if text.startswith("#") else None
        if obs is None:
            res = resolve(ref.mapping())
            obs = Node(res, ref.path) if res is not None and res.get("resourceType") == "Observation" else None
        if obs is None:
            continue
        kind = _observation_kind(obs)
        if kind is not None and obs.get("valueBoolean").boolean():
            found.add(kind)
    for kind in (Coverage.ALD, Coverage.WORK_ACCIDENT):
        if kind in found:
            return kind
    for ext in line.get("extension").objects():
        if ext.get("url").string() == systems.INSURANCE_SITUATION and \
                ext.get("valueCode").string() == MATERNITY_CODE:
            return Coverage.MATERNITY
    return Coverage.COMMON


def coverage_json(coverage: Coverage) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    """What a line of ``coverage`` carries: (contained Observations, reasonReference, extensions)."""
    if coverage is Coverage.MATERNITY:
        return [], [], [{"url": systems.INSURANCE_SITUATION, "valueCode": MATERNITY_CODE}]
    if coverage not in _WRITTEN:
        return [], [], []
    code, profile, display, rid = _WRITTEN[coverage]
    obs = {"resourceType": "Observation", "id": rid, "meta": {"profile": [profile]}, "status": "final",
           "code": {"coding": [{"system": systems.CISIS, "code": code, "display": display}]},
           "valueBoolean": True}
    return [obs], [{"reference": f"#{rid}"}], []
