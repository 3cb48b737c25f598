"""Input the whole app refuses or cleans before any route sees it, so no route can forget.

- Text: C0 control characters other than tab, newline and carriage return, DEL and lone surrogates
  are stripped from every query-string value, form field and JSON string (`CleanRequest`).
  PostgreSQL refuses NUL in text; SQLite keeps it and it breaks pages and exports later.
- Path parts: `<int:...>` is bounded to PostgreSQL's INTEGER (a larger id can name no row, so
  404), and string and path parts with control characters match no route (404).
- Integers from query strings and forms: `bounded_int` (None when out of range) and
  `BoundedIntegerField` for WTForms.
- Redirect targets from users (`next`): `safe_next`.
- A Host header outside TRUSTED_HOSTS (config.py): a short 400.
"""
import re
from urllib.parse import unquote, urlsplit

from flask import Flask, Request, Response
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import ImmutableMultiDict, MultiDict
from werkzeug.exceptions import SecurityError
from werkzeug.routing import IntegerConverter, PathConverter, UnicodeConverter, ValidationError
from werkzeug.utils import cached_property
from wtforms import IntegerField

INT_MIN = -(2**31)
INT_MAX = 2**31 - 1  # PostgreSQL's INTEGER, which every id column is

# C0 controls except \t \n \r, DEL, and UTF-16 surrogates (only lone ones reach a Python str).
_NOT_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
_CONTROL = re.compile("[\x00-\x1f\x7f]")


def clean_text(value: str) -> str:
    """`value` without characters that are no text (see the module docstring)."""
    return _NOT_TEXT.sub("", value)


def _clean_json(value):
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, list):
        return [_clean_json(v) for v in value]
    if isinstance(value, dict):
        return {clean_text(k): _clean_json(v) for k, v in value.items()}
    return value


def _clean_multidict(data: MultiDict) -> MultiDict:
    if not any(_NOT_TEXT.search(k) or _NOT_TEXT.search(v) for k, v in data.items(multi=True)):
        return data
    cleaned = [(clean_text(k), clean_text(v)) for k, v in data.items(multi=True)]
    return ImmutableMultiDict(cleaned) if isinstance(data, ImmutableMultiDict) else MultiDict(cleaned)


class CleanRequest(Request):
    """Flask's request whose form, query string and JSON hold text only (see `clean_text`)."""

    @cached_property
    def args(self) -> MultiDict:
        return _clean_multidict(super().args)

    def _load_form_data(self) -> None:
        if "form" in self.__dict__:
            return
        super()._load_form_data()
        self.__dict__["form"] = _clean_multidict(self.__dict__["form"])

    def get_json(self, force: bool = False, silent: bool = False, cache: bool = True):
        return _clean_json(super().get_json(force=force, silent=silent, cache=cache))


class BoundedIntConverter(IntegerConverter):
    """`<int:...>` that matches only ids a database INTEGER can hold; larger ones are a 404."""

    def __init__(self, map, fixed_digits=0, min=None, max=INT_MAX, signed=False):
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


class _NoControl:
    def to_python(self, value: str) -> str:
        if _CONTROL.search(value):
            raise ValidationError()  # no code, token or file name holds one: no such page
        return super().to_python(value)


class TextConverter(_NoControl, UnicodeConverter):
    pass


class TextPathConverter(_NoControl, PathConverter):
    pass


def bounded_int(value, low: int = INT_MIN, high: int = INT_MAX) -> int | None:
    """`value` (a query-string or form value) as an int within [low, high], else None."""
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return number if low <= number <= high else None


class BoundedIntegerField(IntegerField):
    """An IntegerField that refuses numbers a database INTEGER cannot hold, with a message."""

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        if self.data is not None and not INT_MIN <= self.data <= INT_MAX:
            self.data = None
            raise ValueError(_l("Diese Zahl ist zu groß."))


def safe_next(target: str | None, default: str) -> str:
    """`target` if it is a path on this site, else `default`: never a redirect to another host.

    Browsers drop tabs and newlines in a Location and read `\\` as `/`, so `/\\t/evil.test`
    would go to //evil.test; such targets are refused, also once percent-decoded.
    """
    if not target:
        return default
    for candidate in (target, unquote(target)):
        if _CONTROL.search(candidate) or "\\" in candidate or not candidate.startswith("/"):
            return default
        if candidate.startswith("//"):
            return default
        parts = urlsplit(candidate)
        if parts.scheme or parts.netloc:
            return default
    return target


UNTRUSTED_HOST = _l("Diese Anwendung ist unter dieser Adresse nicht erreichbar.")


def _untrusted_host(_error: SecurityError) -> Response:
    # Plain text: without a trusted host there is no URL adapter, so no page with links.
    return Response(str(UNTRUSTED_HOST), 400, mimetype="text/plain")


def init_safety(app: Flask) -> None:
    """Clean requests and bound path parts; before any blueprint adds its rules."""
    app.request_class = CleanRequest
    app.register_error_handler(SecurityError, _untrusted_host)  # a Host not in TRUSTED_HOSTS
    app.url_map.converters.update(int=BoundedIntConverter, default=TextConverter,
                                  string=TextConverter, path=TextPathConverter)
