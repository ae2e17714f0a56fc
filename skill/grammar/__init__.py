"""The interaction models' source: a grammar per intent, expanded into every locale's model."""
