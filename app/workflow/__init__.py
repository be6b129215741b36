"""Use cases of the counter (no Qt): start, dispense, bill, record, print."""
