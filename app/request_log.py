"""Logs without secrets: the secret parts of paths masked, in every line the app or gunicorn writes.

Host, projector and return links carry a secret in their path (`/h/<token>`, `/p/<token>`,
`/r/<token>`), and so does a table's shared live fragment, whose last part is a signed tag
(`/e/<code>/view/<language>/<table_id>/<key>`). Whoever reads a log must not be able to open
them. Which parts are secret is read from the app's routes: every argument whose name says so
(`SECRET_ARGUMENT`: token, key, secret, …), so a route added later is masked without a change
here; `/h/AbC…/photos` is logged as `/h/<token>/photos`, also when the rest of the path matches
no route. Anything else that looks like a generated secret (32 or more URL-safe characters that
are not a UUID or a hashed static file name) becomes `<secret>`: a mistyped link matches no route.

gunicorn writes one line per request (gunicorn.conf.py); the filter made here masks that log,
gunicorn's error log, the app's own logger (its messages and tracebacks, where SQL parameters may
name a token) and werkzeug's (`flask run`).
"""
import logging
import re

from flask import Flask
from flask.logging import default_handler
from werkzeug.routing import Map, Rule

EXTENSION = "request_log"
# An argument is secret when a word of its name (split at underscores) is one of these.
SECRET_ARGUMENT = re.compile(
    r"(?:^|_)(?:token|key|secret|sig|signature|signed|mac|hmac|password|nonce)s?(?:_|$)", re.IGNORECASE)
# A rule's variable, as werkzeug writes it: <name>, <converter:name>, <converter(arguments):name>.
VARIABLE = re.compile(r"<(?:(?P<converter>\w+)(?:\((?P<arguments>.*?)\))?:)?(?P<name>\w+)>")
# What a secret part may hold: up to the next slash, space, query, fragment or quote. `<` is not
# in it, so text masked once stays as it is.
SECRET_PART = r"""([^/\s?#"'<>]+)"""
TOKEN_LIKE = re.compile(r"(?<![\w-])[\w-]{32,}(?![\w-])", re.ASCII)
UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
STATIC_NAME = re.compile(r"\w+-[0-9a-f]{32}", re.ASCII)  # app-<md5>.css, by `flask digest compile`
LOGGERS = ("gunicorn.access", "gunicorn.error", "werkzeug")


def is_secret(argument: str) -> bool:
    return SECRET_ARGUMENT.search(argument) is not None


def secret_arguments(rule: Rule) -> list[str]:
    return sorted(argument for argument in rule.arguments if is_secret(argument))


class PathMasker:
    """Masks the secret parts of the paths of one app's routes, anywhere in a text."""

    def __init__(self, url_map: Map):
        self.patterns: list[tuple[re.Pattern, list[str]]] = []
        seen = set()
        for rule in url_map.iter_rules():
            if not secret_arguments(rule):
                continue
            pattern, names = prefix_pattern(rule.rule)
            if pattern not in seen:
                seen.add(pattern)
                self.patterns.append((re.compile(pattern), names))

    def mask(self, text: str) -> str:
        for pattern, names in self.patterns:
            text = pattern.sub(lambda found, names=names: _masked(found, names), text)
        return TOKEN_LIKE.sub(_masked_token, text)


def prefix_pattern(rule_text: str) -> tuple[str, list[str]]:
    """A regular expression for `rule_text` up to its last secret variable, each secret one a
    group, and the names of these groups: `/h/<token>/photos` gives `/h/([^/…]+)`, ["token"]."""
    pattern, names, end = [], [], 0
    last_secret = max(found.end() for found in VARIABLE.finditer(rule_text) if is_secret(found["name"]))
    for found in VARIABLE.finditer(rule_text[:last_secret]):
        pattern.append(re.escape(rule_text[end:found.start()]))
        if is_secret(found["name"]):
            pattern.append(SECRET_PART)
            names.append(found["name"])
        else:  # any value of any converter, within one part of the path (a path converter's too)
            pattern.append(r"[^/\s]+" if found["converter"] != "path" else r"\S+?")
        end = found.end()
    return "".join(pattern), names


def _masked(found: re.Match, names: list[str]) -> str:
    text, start, pieces = found.string, found.start(), []
    for group, name in enumerate(names, start=1):
        pieces += [text[start:found.start(group)], f"<{name}>"]
        start = found.end(group)
    pieces.append(text[start:found.end()])
    return "".join(pieces)


def _masked_token(found: re.Match) -> str:
    word = found.group()
    return word if UUID.fullmatch(word) or STATIC_NAME.fullmatch(word) else "<secret>"


class SecretFilter(logging.Filter):
    """Masks a log record's message, traceback and stack with `mask`; drops no record."""

    def __init__(self, mask):
        super().__init__()
        self.mask = mask

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # arguments that do not fit the message: logging reports it, without them
            message = f"{record.msg} (arguments left out)"
        record.msg, record.args = self.mask(message), ()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.mask(record.exc_text)
        if record.stack_info:
            record.stack_info = self.mask(record.stack_info)
        return True


def init_request_log(app: Flask) -> None:
    """Mask secrets in the app's logs and gunicorn's; after every blueprint is registered.

    Filters on a logger see only the records made on it, so the app's handlers get one too, for
    the records of its child loggers (`app.services.administration.jobs`, …). One filter per logger and handler:
    a later app in the same process (tests) replaces the one before.
    """
    masker = PathMasker(app.url_map)
    app.extensions[EXTENSION] = masker
    secret_filter = SecretFilter(masker.mask)
    targets = [app.logger, default_handler, *app.logger.handlers]
    for name in LOGGERS:
        targets.append(logging.getLogger(name))
    for target in targets:
        for old in [f for f in target.filters if isinstance(f, SecretFilter)]:
            target.removeFilter(old)
        target.addFilter(secret_filter)
