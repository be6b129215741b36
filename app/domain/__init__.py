"""Pure rules and types of the pharmacy counter. Imports only the standard library."""
