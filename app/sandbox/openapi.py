"""The sandbox's OpenAPI 3.0 description, served at ``/fhir/openapi.json`` (and ``/openapi.json``).

Written by hand from the contract (``docs: eprescription-api.md``) rather than generated: Starlette
routes carry no parameter or body types. It describes the eight operations closely enough for a
schema-driven fuzzer (schemathesis) to build requests the service reads past its first checks: the
``group-identifier`` parameter, the two Bundles that are posted (a prescription, a transaction of
MedicationDispense) with the fields and ranges the sandbox checks (app.sandbox.values), and the
statuses each operation answers, every error being a FHIR OperationOutcome. A test keeps it and the
route table in step.
"""

from __future__ import annotations

from typing import Any

from app.sandbox.values import MAX_QUANTITY, MAX_RENEWALS

FHIR_JSON = "application/fhir+json"
_REF = "#/components/schemas/"

_ERRORS = {
    400: "Requête mal formée", 401: "Jeton absent, inconnu, révoqué ou expiré",
    403: "Opération hors des droits de l'acteur", 404: "Ordonnance inconnue",
    409: "Ordonnance réservée par une autre pharmacie", 410: "Ordonnance annulée ou expirée",
    413: "Corps de plus de 1 Mio", 415: "Corps déclaré autrement qu'en JSON",
    422: "Règle métier non respectée", 429: "Trop de requêtes (Retry-After)",
}


def _content(schema: str) -> dict[str, Any]:
    return {FHIR_JSON: {"schema": {"$ref": _REF + schema}}}


def _responses(success: int, schema: str, *errors: int) -> dict[str, Any]:
    answers: dict[str, Any] = {str(success): {"description": "Succès", "content": _content(schema)}}
    for status in (401, 429, *errors):
        answers[str(status)] = {"description": _ERRORS[status], "content": _content("OperationOutcome")}
    return answers


def _body(schema: str) -> dict[str, Any]:
    return {"required": True, "content": {media: {"schema": {"$ref": _REF + schema}}
                                          for media in (FHIR_JSON, "application/json")}}


GROUP_IDENTIFIER = {
    "name": "group-identifier", "in": "query", "required": True,
    "description": "Numéro de l'ordonnance numérique, seul ou sous la forme système|numéro (jeton FHIR)",
    "schema": {"type": "string", "maxLength": 300, "pattern": r"^([^|]{1,200}\|)?[A-Za-z0-9 -]{8,60}$"},
}
INCLUDE = {
    "name": "_include", "in": "query", "required": False, "style": "form", "explode": True,
    "schema": {"type": "array", "items": {"type": "string", "enum": [
        "MedicationRequest:subject", "MedicationRequest:requester", "MedicationRequest:medication"]}},
}
# FHIR R4 dateTime (app.sandbox.values.FHIR_DATETIME, without its group names).
_DATETIME = (r"^[0-9]{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01])(T([01][0-9]|2[0-3]):[0-5][0-9]:"
             r"([0-5][0-9]|60)(\.[0-9]{1,9})?(Z|[+-](0[0-9]|1[0-3]):[0-5][0-9]|[+-]14:00))?)?)?$")


def _object(properties: dict[str, Any], *required: str) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "object", "properties": properties}
    if required:
        schema["required"] = list(required)
    return schema


def _resource(kind: str, properties: dict[str, Any] | None = None, *required: str) -> dict[str, Any]:
    return _object({"resourceType": {"type": "string", "enum": [kind]}, "id": {"type": "string"},
                    **(properties or {})}, "resourceType", *required)


_REFERENCE = _object({"reference": {"type": "string", "maxLength": 200}}, "reference")
_CODING = _object({"system": {"type": "string", "maxLength": 255}, "code": {"type": "string", "maxLength": 64},
                   "display": {"type": "string"}})
_CONCEPT = _object({"coding": {"type": "array", "items": _CODING}, "text": {"type": "string"}})
_IDENTIFIER = _object({"system": {"type": "string", "maxLength": 255}, "value": {"type": "string", "maxLength": 255}},
                      "system", "value")
_QUANTITY = _object({"value": {"type": "number", "minimum": 0, "maximum": float(MAX_QUANTITY), "multipleOf": 0.001},
                     "unit": {"type": "string"}}, "value")
_EXTENSION = _object({"url": {"type": "string"}, "valueInteger": {"type": "integer"},
                      "valueBoolean": {"type": "boolean"}, "valueString": {"type": "string"}}, "url")

SCHEMAS: dict[str, Any] = {
    "OperationOutcome": _resource("OperationOutcome", {"issue": {"type": "array", "minItems": 1, "items": _object({
        "severity": {"type": "string"}, "code": {"type": "string"}, "diagnostics": {"type": "string"}},
        "severity", "code")}}, "issue"),
    "CapabilityStatement": _resource("CapabilityStatement", {"fhirVersion": {"type": "string"}}),
    "Bundle": _resource("Bundle", {"type": {"type": "string"}, "entry": {"type": "array", "items": {"type": "object"}}},
                        "type"),
    "MedicationRequest": _resource("MedicationRequest", {
        "status": {"type": "string", "enum": ["active"]}, "intent": {"type": "string", "enum": ["order"]},
        "subject": _REFERENCE, "requester": _REFERENCE, "medicationReference": _REFERENCE,
        "medicationCodeableConcept": _CONCEPT, "authoredOn": {"type": "string", "pattern": _DATETIME},
        "dispenseRequest": _object({
            "quantity": _QUANTITY,
            "numberOfRepeatsAllowed": {"type": "integer", "minimum": 0, "maximum": MAX_RENEWALS},
            "validityPeriod": _object({"start": {"type": "string", "pattern": _DATETIME},
                                       "end": {"type": "string", "pattern": _DATETIME}})}),
        "extension": {"type": "array", "items": _EXTENSION},
    }, "subject"),
    "Patient": _resource("Patient", {"identifier": {"type": "array", "items": _IDENTIFIER},
                                     "birthDate": {"type": "string", "pattern": _DATETIME},
                                     "extension": {"type": "array", "items": _EXTENSION}}),
    "Practitioner": _resource("Practitioner", {"identifier": {"type": "array", "items": _IDENTIFIER}}),
    "Medication": _resource("Medication", {"code": _CONCEPT}),
    "PrescriptionBundle": _resource("Bundle", {
        "type": {"type": "string", "enum": ["collection", "transaction", "searchset"]},
        "entry": {"type": "array", "minItems": 1, "maxItems": 8, "items": _object({
            "fullUrl": {"type": "string", "maxLength": 200},
            "resource": {"anyOf": [{"$ref": _REF + name} for name in (
                "MedicationRequest", "Patient", "Practitioner", "Medication")]}}, "resource")}},
        "type", "entry"),
    "MedicationDispense": _resource("MedicationDispense", {
        "identifier": {"type": "array", "minItems": 1, "items": _IDENTIFIER},
        "status": {"type": "string", "enum": ["completed", "declined", "stopped"]},
        "authorizingPrescription": {"type": "array", "minItems": 1, "items": _object({"reference": {
            "type": "string", "pattern": r"^MedicationRequest/[A-Za-z0-9.\-]{1,64}$"}}, "reference")},
        "medicationCodeableConcept": _CONCEPT, "quantity": _QUANTITY,
        "whenHandedOver": {"type": "string", "pattern": _DATETIME},
        "performer": {"type": "array", "items": {"type": "object"}},
        "location": _REFERENCE,
        "substitution": _object({"wasSubstituted": {"type": "boolean"}, "type": _CONCEPT,
                                 "reason": {"type": "array", "items": _CONCEPT}}),
        "statusReasonCodeableConcept": _CONCEPT,
        "extension": {"type": "array", "items": _EXTENSION},
    }, "identifier", "status", "authorizingPrescription"),
    "TransactionBundle": _resource("Bundle", {
        "type": {"type": "string", "enum": ["transaction"]},
        "entry": {"type": "array", "minItems": 1, "maxItems": 8, "items": _object({
            "resource": {"$ref": _REF + "MedicationDispense"},
            "request": _object({"method": {"type": "string", "enum": ["POST"]},
                                "url": {"type": "string", "enum": ["MedicationDispense"]},
                                "ifNoneExist": {"type": "string", "pattern": r"^identifier=[^|\s]{1,200}\|.{1,200}$"}},
                               "method", "ifNoneExist")}, "resource", "request")}},
        "type", "entry"),
}


def _operation(summary: str, responses: dict[str, Any], *, parameters: list | None = None,
               body: str | None = None, public: bool = False) -> dict[str, Any]:
    op: dict[str, Any] = {"summary": summary, "operationId": summary.split(" ", 1)[0], "responses": responses}
    if parameters:
        op["parameters"] = parameters
    if body:
        op["requestBody"] = _body(body)
    if public:
        op["security"] = []
    return op


def openapi_document() -> dict[str, Any]:
    """The document (a fresh dict: callers may change it)."""
    import copy

    paths = {
        "/metadata": {"get": _operation("metadata (op 1) : CapabilityStatement",
                                        {"200": {"description": "Succès", "content": _content("CapabilityStatement")}},
                                        public=True)},
        "/Bundle": {"post": _operation("submit (op 2) : déposer une ordonnance (prescripteur)",
                                       _responses(201, "Bundle", 400, 403, 413, 415, 422), body="PrescriptionBundle")},
        "/MedicationRequest": {"get": _operation(
            "search (op 3) : lire une ordonnance (pharmacie)", _responses(200, "Bundle", 400, 403, 404, 410),
            parameters=[GROUP_IDENTIFIER, INCLUDE])},
        "/MedicationRequest/$claim": {"post": _operation(
            "claim (op 4) : réserver (pharmacie)", _responses(200, "OperationOutcome", 400, 403, 404, 409, 410),
            parameters=[GROUP_IDENTIFIER])},
        "/MedicationRequest/$release": {"post": _operation(
            "release (op 5) : libérer (pharmacie qui l'a réservée)", _responses(200, "OperationOutcome", 400, 403, 404),
            parameters=[GROUP_IDENTIFIER])},
        "/": {"post": _operation(
            "record (op 6) : enregistrer des délivrances (pharmacie qui l'a réservée)",
            _responses(200, "Bundle", 400, 403, 404, 409, 410, 413, 415, 422), body="TransactionBundle")},
        "/MedicationDispense": {"get": _operation(
            "dispenses (op 7) : délivrances d'une ordonnance", _responses(200, "Bundle", 400, 403, 404),
            parameters=[GROUP_IDENTIFIER])},
        "/MedicationRequest/$cancel": {"post": _operation(
            "cancel (op 8) : annuler (prescripteur qui l'a rédigée)", _responses(200, "OperationOutcome", 400, 403, 404),
            parameters=[GROUP_IDENTIFIER])},
    }
    return copy.deepcopy({
        "openapi": "3.0.3",
        "info": {"title": "Comptoir — service d'ordonnance numérique (bac à sable)", "version": "1",
                 "description": "API FHIR R4 du contrat eprescription-api.md ; chaque erreur est un "
                                "OperationOutcome avec un texte en français."},
        "servers": [{"url": "/fhir"}],
        "security": [{"bearer": []}],
        "paths": paths,
        "components": {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}, "schemas": SCHEMAS},
    })
