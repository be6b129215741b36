"""Frames and keystrokes in, symbols out: QR codes, GS1 DataMatrix, EAN-13, Code 128."""
