"""Stormwatch: listening, early warning, incident response and measurement in one loop."""

__version__ = "0.1.0"
