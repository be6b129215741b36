"""Printed documents (reportlab): the annotated ordonnance, the patient's copy, registers."""
