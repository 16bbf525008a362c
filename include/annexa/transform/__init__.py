"""Turning a snapshot into lists: working-day calendar, code mapping and the SQL runner."""
