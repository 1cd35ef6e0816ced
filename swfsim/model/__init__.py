"""The SWF service as state: domains and types, runs and their histories, task lists, visibility."""
