"""Clients of Alexa's own services, each behind a small port so tests can use a fake."""
