"""The preparer's workstation: the preparation queue, preparing the lines, the pharmaceutical validation."""
