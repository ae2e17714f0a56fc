"""Adapters to services outside the skill (the Alexa Settings and Reminders APIs); storage has
its own package."""
