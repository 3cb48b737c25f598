"""Sorting ideas into action fields: the organiser's sortings, text features, the suggestion model and clusters."""
