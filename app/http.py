"""HTTP helpers shared by the live endpoints of several features."""
from flask import Response, jsonify, request


def conditional_json(etag: str, make_body) -> Response:
    """304 with no body while the client's ETag matches; else the JSON of `make_body()`.

    Live endpoints name their state by the event's revision, so an unchanged event costs
    the one read that found the revision.
    """
    if etag in request.if_none_match:
        response = Response(status=304)
    else:
        response = jsonify(make_body())
    response.set_etag(etag)
    response.headers["Cache-Control"] = "no-cache"
    return response


def no_store(body: str) -> Response:
    """An HTML fragment that must always be fetched fresh."""
    response = Response(body)
    response.headers["Cache-Control"] = "no-store"
    return response
