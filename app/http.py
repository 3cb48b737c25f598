"""HTTP helpers shared by several features: live endpoints, pages that answer a refused form, photos."""
from flask import Response, flash, jsonify, request

from app import livepoll
from app.extensions import db
from app.services.cafe import photos
from app.services.errors import DomainError

PHOTO_MAX_AGE = 7 * 24 * 3600  # a photo never changes under its UUID


def wants_json() -> bool:
    """The request came from a script asking for JSON (drag and drop, live updates), not a form."""
    return request.accept_mimetypes.best == "application/json"


def form_status(form) -> int:
    """400 when a sent form did not validate, so the page with the typed input is no success."""
    return 400 if form.errors else 200


def refused(error: DomainError) -> int:
    """Undo what the refused change began and say why, on the page rendered next; its status."""
    db.session.rollback()
    flash(str(error.message), "error")
    return error.status_code


def live_json(parts, make_body) -> Response:
    """304 with no body while the client's ETag still names `parts`; else the JSON of `make_body()`.

    `parts` are the (kind, row id, revision) triples the answer follows (app/livepoll.py); the gate
    usually answers an unchanged poll before the route runs, this is the same check for the rest.
    """
    etag = livepoll.tag(parts)
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


def photo_response(photo) -> Response:
    """A tablecloth photo (or its thumbnail with ?size=thumb), cached privately; 304 without loading the image."""
    thumb = request.args.get("size") == "thumb"
    etag = f"{photo.uuid.hex}-{'thumb' if thumb else 'full'}"
    if etag in request.if_none_match:
        response = Response(status=304)
    else:
        body = photos.thumbnail(photo) if thumb else photo.data
        response = Response(body, mimetype=photo.content_type)
        extension = "png" if photo.content_type == "image/png" else "jpg"
        response.headers["Content-Disposition"] = (
            f'inline; filename="tisch-{photo.table.number}-{photo.uuid.hex[:8]}.{extension}"')
    response.set_etag(etag)
    response.cache_control.private = True
    response.cache_control.max_age = PHOTO_MAX_AGE
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
