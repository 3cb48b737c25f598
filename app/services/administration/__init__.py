"""Processes, staff accounts, background jobs and the demo data."""
