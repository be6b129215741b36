"""The sandbox e-prescription service: the project's own implementation of the service contract."""
