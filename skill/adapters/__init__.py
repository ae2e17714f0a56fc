"""Adapters to services outside the skill (the Alexa Settings API); storage has its own package."""
