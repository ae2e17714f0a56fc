"""The terminal coach: talk to the skill from a terminal, with no device and no cloud."""
