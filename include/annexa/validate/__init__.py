"""Validation with Great Expectations: source tables, each list, and cross-list rules."""
