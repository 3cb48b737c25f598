"""Services: plain functions that change data. They flush; the caller commits."""
