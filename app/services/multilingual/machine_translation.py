"""Optional machine translation of ideas, through a self-hosted LibreTranslate-compatible server.

Off unless TRANSLATE_URL is set. Translating is a background job (`flask jobs work`), never part of
a request: the phone that sent an idea never waits for it, and a server that is down or slow only
delays the translation (the job is retried), it never blocks or loses the idea.
"""
import json
import logging
import urllib.error
import urllib.request

from flask import current_app

from app.extensions import db
from app.models import Contribution
from app.services.administration import jobs
from app.services.multilingual import translations
from app.services.cafe.interpreting import GERMAN, readers_at_tables
from app.services.multilingual.translations import HUB

log = logging.getLogger(__name__)

JOB_KIND = "translate_idea"
# Stored codes the translation server knows under another name; Einfache Sprache is left to people.
SERVER_CODES = {"prs": "fa", "de-x-simple": None}


class Refused(Exception):
    """The server will not translate this pair of languages (an answer in the 4xx range): trying
    again cannot help, so that language is skipped and the others go on."""


class Translator:
    """One small interface: text in one language to another, or an error."""

    name = "machine"

    def translate(self, text: str, source: str, target: str) -> str:  # pragma: no cover - interface
        raise NotImplementedError


class LibreTranslate(Translator):
    """POST /translate {q, source, target, format, api_key} → {"translatedText": …}."""

    name = "LibreTranslate"

    def __init__(self, url: str, api_key: str = "", timeout: float = 10.0):
        self.url = url.rstrip("/") + "/translate"
        self.api_key = api_key
        self.timeout = timeout

    def translate(self, text: str, source: str, target: str) -> str:
        body = {"q": text, "source": source, "target": target, "format": "text"}
        if self.api_key:
            body["api_key"] = self.api_key
        request = urllib.request.Request(self.url, data=json.dumps(body).encode(), method="POST",
                                         headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                answer = json.loads(response.read().decode("utf-8"))
        except urllib.error.HTTPError as error:
            if 400 <= error.code < 500 and error.code not in (408, 429):
                raise Refused(f"translation server refused {source}->{target}: {error.code}") from error
            raise jobs.Retry(f"translation server: {error}") from error
        except (urllib.error.URLError, TimeoutError, ConnectionError, ValueError) as error:
            raise jobs.Retry(f"translation server: {error}") from error
        translated = answer.get("translatedText") if isinstance(answer, dict) else None
        if not isinstance(translated, str) or not translated.strip():
            raise jobs.Retry(f"translation server gave no text: {str(answer)[:200]}")
        return translated


def translator() -> Translator | None:
    config = current_app.config
    if not config.get("TRANSLATE_URL"):
        return None
    return LibreTranslate(config["TRANSLATE_URL"], config.get("TRANSLATE_API_KEY", ""),
                          float(config.get("TRANSLATE_TIMEOUT", 10)))


def enabled() -> bool:
    return bool(current_app.config.get("TRANSLATE_URL"))


def request_translation(idea: Contribution) -> None:
    """Queue a machine translation of a new idea, where one is configured (same transaction)."""
    if enabled():
        db.session.flush()
        jobs.enqueue(JOB_KIND, {"idea": idea.id})


def original_changed(idea: Contribution) -> None:
    """The idea's text was corrected: machine translations of the old text go, new ones are queued.
    A person's translation stays (they see the corrected original beside it in their queue)."""
    for row in [row for row in idea.translations if row.machine]:
        idea.translations.remove(row)
    request_translation(idea)


def wanted_languages(idea: Contribution) -> list[str]:
    """German, the event's default language and the languages of the people at the idea's table."""
    readers = readers_at_tables(idea.event).get((idea.table_id, idea.round_id), set())
    wanted = [HUB, idea.event.default_language, *sorted(readers)]
    return [code for code in translations.missing_languages(idea, wanted) if code not in GERMAN - {HUB}]


def server_code(code: str) -> str | None:
    return SERVER_CODES.get(code, code.split("-")[0])


@jobs.handler(JOB_KIND)
def translate_idea(payload: dict) -> None:
    idea = db.session.get(Contribution, payload.get("idea"))
    engine = translator()
    if idea is None or engine is None or not idea.visible:
        return
    source = server_code(idea.language)
    if source is None:
        source = "de"
    text_now = idea.text
    for target in wanted_languages(idea):
        code = server_code(target)
        if code is None or code == source:
            continue
        try:
            text = engine.translate(text_now, source, code)
        except Refused as refusal:
            log.warning("idea %s: %s", idea.id, refusal)
            continue
        db.session.refresh(idea)
        if idea.text != text_now:
            return  # corrected meanwhile: the correction queued a job of its own
        translations.save_machine(idea, target, text, engine=engine.name)
        db.session.commit()  # each language kept as soon as it is there; a retry skips it
