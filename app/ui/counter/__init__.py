"""The counter screens: waiting for an ordonnance, the prescription, dispensing, billing, recording."""
