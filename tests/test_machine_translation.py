"""Optional machine translation: jobs in the database, worked by `flask jobs work`, against a small
LibreTranslate-compatible server that the test starts on 127.0.0.1."""
import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from app.extensions import db
from app.models import Contribution, ContributionTranslation, Job
from app.models.base import utcnow
from app.services.administration import jobs
from app.services.multilingual import translations
from tests.test_interpret import phone, post_idea, start_round


class FakeLibreTranslate(BaseHTTPRequestHandler):
    """Answers POST /translate like LibreTranslate, prefixing the target code; or fails on demand."""

    down = False
    refuse: set = set()  # targets answered with 400, as a server started with only some languages
    requests: list = []
    before_answer = None  # called while the "translation" is under way

    def do_POST(self):  # noqa: N802 - the stdlib's name
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        type(self).requests.append(body)
        if type(self).down or self.path != "/translate":
            self.send_response(503)
            self.end_headers()
            return
        if body["target"] in type(self).refuse:
            self.send_response(400)
            self.end_headers()
            return
        if type(self).before_answer is not None:
            type(self).before_answer(body)
        answer = json.dumps({"translatedText": f"[{body['target']}] {body['q']}"}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    FakeLibreTranslate.down = False
    FakeLibreTranslate.refuse = set()
    FakeLibreTranslate.before_answer = None
    FakeLibreTranslate.requests = []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), FakeLibreTranslate)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def translating_app(other_app, server):
    return other_app(TRANSLATE_URL=server, TRANSLATE_API_KEY="secret", TRANSLATE_TIMEOUT=2)


@pytest.fixture
def cafe(translating_app, make):
    event = make.event(tables=2, rounds=1, languages=("de", "ar"))
    start_round(translating_app, event.round_ids[0])
    event.arabic = phone(translating_app, event.code, 1, "ar")
    event.ukrainian = phone(translating_app, event.code, 1, "uk")
    return event


def work_once(app):
    result = app.test_cli_runner().invoke(args=["jobs", "work", "--once"])
    assert result.exit_code == 0, result.output
    return result.output


def test_a_new_idea_is_translated_in_the_background_into_german_and_the_readers_languages(translating_app, cafe):
    uuid = post_idea(cafe.arabic, cafe.code, "دورات لغة مسائية", "a1")
    with translating_app.app_context():
        job = db.session.scalar(db.select(Job))
        assert job.state == "queued"  # the phone was answered before any translation
        assert db.session.scalar(db.select(db.func.count(ContributionTranslation.id))) == 0
    assert "1 job(s) done" in work_once(translating_app)
    with translating_app.app_context():
        rows = {row.language: row for row in db.session.scalars(db.select(ContributionTranslation))}
        assert sorted(rows) == ["de", "uk"]  # German, and the Ukrainian reader at the table
        assert rows["de"].text == "[de] دورات لغة مسائية" and rows["de"].machine
        assert rows["de"].made_by == "LibreTranslate"
        assert db.session.scalar(db.select(Job)).state == "done"
    assert FakeLibreTranslate.requests[0]["api_key"] == "secret"
    assert FakeLibreTranslate.requests[0]["source"] == "ar"
    page = cafe.ukrainian.get(f"/e/{cafe.code}").get_data(as_text=True)
    assert "[uk] دورات لغة مسائية" in page and uuid


def test_a_server_that_is_down_delays_the_translation_and_loses_nothing(translating_app, cafe):
    FakeLibreTranslate.down = True
    post_idea(cafe.arabic, cafe.code, "دورات لغة مسائية", "a1")
    work_once(translating_app)
    with translating_app.app_context():
        job = db.session.scalar(db.select(Job))
        assert (job.state, job.attempts) == ("queued", 1) and "503" in job.last_error
        assert job.run_after > utcnow()  # waits before the next try
        assert db.session.scalar(db.select(Contribution)).text == "دورات لغة مسائية"
        job.run_after = utcnow()
        db.session.commit()
    FakeLibreTranslate.down = False
    work_once(translating_app)
    with translating_app.app_context():
        assert db.session.scalar(db.select(Job)).state == "done"
        assert db.session.scalar(db.select(Contribution)).translation("de") == "[de] دورات لغة مسائية"


def test_a_job_is_given_up_after_its_attempts(translating_app, cafe):
    FakeLibreTranslate.down = True
    post_idea(cafe.arabic, cafe.code, "دورات لغة مسائية", "a1")
    with translating_app.app_context():
        job = db.session.scalar(db.select(Job))
        job.max_attempts = 2
        db.session.commit()
    for _ in range(2):
        work_once(translating_app)
        with translating_app.app_context():
            db.session.execute(db.update(Job).values(run_after=utcnow()))
            db.session.commit()
    with translating_app.app_context():
        job = db.session.scalar(db.select(Job))
        assert (job.state, job.attempts) == ("failed", 2)


def test_a_job_whose_worker_died_is_taken_again_after_its_lease(translating_app, cafe):
    post_idea(cafe.arabic, cafe.code, "دورات لغة مسائية", "a1")
    with translating_app.app_context():
        job = jobs.claim("dead-worker")  # claimed, then the worker was killed
        assert job.state == "running"
        assert jobs.claim("other-worker") is None  # not twice at once
        job.lease_until = utcnow() - timedelta(seconds=1)
        db.session.commit()
    work_once(translating_app)
    with translating_app.app_context():
        job = db.session.scalar(db.select(Job))
        assert (job.state, job.attempts) == ("done", 2)


def test_a_person_s_translation_is_kept_when_the_machine_comes_later(translating_app, cafe):
    post_idea(cafe.arabic, cafe.code, "دورات لغة مسائية", "a1")
    with translating_app.app_context():
        idea = db.session.scalar(db.select(Contribution))
        translations.save(idea, "de", "Abendkurse", made_by="Dolmetscherin")
        db.session.commit()
    work_once(translating_app)
    with translating_app.app_context():
        idea = db.session.scalar(db.select(Contribution))
        assert idea.translation("de") == "Abendkurse"
        assert idea.translation("uk") == "[uk] دورات لغة مسائية"
    assert all(request["target"] != "de" for request in FakeLibreTranslate.requests)


def test_without_a_translation_server_no_job_is_queued(app, make):
    event = make.event(tables=1, rounds=1)
    start_round(app, event.round_ids[0])
    post_idea(phone(app, event.code, 1, "ar"), event.code, "دورات لغة مسائية", "a1")
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Job.id))) == 0


def test_a_language_the_server_refuses_does_not_hold_up_the_others(translating_app, cafe):
    FakeLibreTranslate.refuse = {"de"}
    post_idea(cafe.arabic, cafe.code, "دورات لغة مسائية", "a1")
    work_once(translating_app)
    with translating_app.app_context():
        idea = db.session.scalar(db.select(Contribution))
        assert idea.translation("de") is None and idea.translation("uk") == "[uk] دورات لغة مسائية"
        assert db.session.scalar(db.select(Job)).state == "done"


def test_a_person_who_translates_while_the_machine_works_wins(translating_app, cafe):
    def person_saves_first(body):
        if body["target"] == "de":
            with translating_app.app_context():
                idea = db.session.scalar(db.select(Contribution))
                translations.save(idea, "de", "Abendkurse", made_by="Dolmetscherin")
                db.session.commit()

    FakeLibreTranslate.before_answer = person_saves_first
    post_idea(cafe.arabic, cafe.code, "دورات لغة مسائية", "a1")
    work_once(translating_app)
    with translating_app.app_context():
        idea = db.session.scalar(db.select(Contribution))
        assert (idea.translation_row("de").text, idea.translation_row("de").machine) == ("Abendkurse", False)
        assert idea.translation("uk") == "[uk] دورات لغة مسائية"
        assert db.session.scalar(db.select(Job)).state == "done"


def test_a_job_that_kills_its_worker_every_time_ends_failed(translating_app, cafe):
    post_idea(cafe.arabic, cafe.code, "دورات لغة مسائية", "a1")
    with translating_app.app_context():
        job = db.session.scalar(db.select(Job))
        job.state, job.attempts, job.max_attempts = "running", 3, 3
        job.lease_until = utcnow() - timedelta(seconds=1)
        db.session.commit()
        assert jobs.claim("next-worker") is None
        assert db.session.scalar(db.select(Job)).state == "failed"
    result = translating_app.test_cli_runner().invoke(args=["jobs", "retry"])
    assert "1 failed job(s) queued again" in result.output
    work_once(translating_app)
    with translating_app.app_context():
        assert db.session.scalar(db.select(Job)).state == "done"


def test_a_corrected_idea_is_translated_again(translating_app, cafe):
    post_idea(cafe.arabic, cafe.code, "دورات لغة مسائية", "a1")
    work_once(translating_app)
    token = cafe.host_tokens[0]
    client = translating_app.test_client()
    with translating_app.app_context():
        idea = db.session.scalar(db.select(Contribution))
        idea_id, idea_uuid = idea.id, idea.uuid
    response = client.post(f"/h/{token}/ideas/{idea_uuid}", data={f"idea-{idea_id}-text": "دورات لغة في المساء"})
    assert response.status_code == 303
    with translating_app.app_context():
        assert db.session.scalar(db.select(Contribution)).translation("de") is None  # the old text's went
    work_once(translating_app)
    with translating_app.app_context():
        assert db.session.scalar(db.select(Contribution)).translation("de") == "[de] دورات لغة في المساء"
