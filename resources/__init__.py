"""Data files shipped with Comptoir, found through the package as ``app.resources``
(``importlib.resources.files("app.resources")``), never through the working directory."""
