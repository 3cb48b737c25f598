"""Participants on their phones; the modules beyond routes.py register on its blueprint."""
from app.participate import spoken  # noqa: F401  (registers the template global)
