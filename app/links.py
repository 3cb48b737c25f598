"""Absolute links for QR codes, posters and return links, built from PUBLIC_BASE_URL.

Printed codes must point at an address phones in the hall can reach, which may not be the one
the organiser's browser used; without PUBLIC_BASE_URL the request's own host is used.
"""
from ipaddress import ip_address
from urllib.parse import urlsplit

from flask import current_app, request, url_for


def public_url(endpoint: str, **values) -> str:
    base = current_app.config.get("PUBLIC_BASE_URL") or request.host_url.rstrip("/")
    return base + url_for(endpoint, **values)


def join_url(event, table=None) -> str:
    if table is None:
        return public_url("participate.join", code=event.code)
    return public_url("participate.join_table", code=event.code, table_number=table.number)


def display_url(url: str) -> str:
    """A URL as people type it: without the scheme."""
    return url.split("://", 1)[-1]



def is_loopback(url: str) -> bool:
    """Whether `url` names this computer only (127.0.0.1, localhost, ::1) or no address at all
    (0.0.0.0): no phone can reach it."""
    host = urlsplit(url).hostname or ""
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        address = ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified
