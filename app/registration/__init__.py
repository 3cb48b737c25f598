"""Registration before the event and the optional self-description; staff_routes registers the
organisers' views on the same blueprint."""
from app.registration import routes, staff_routes  # noqa: F401  (register the views)
