"""Published JSON Schemas (fault scenarios)."""
