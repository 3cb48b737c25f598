"""The goal tree: goals and measures, indicators and snapshots for the council."""
