"""The drug catalogue (BDPM): importing the ANSM files, updating, searching."""
