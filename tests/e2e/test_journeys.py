"""The four journeys of a café in a real browser, in German and Arabic, with axe-core (WCAG 2.1 A
and AA) on every page reached: a participant on a 320-px phone, a table host, the moderator with
the projector, the organiser from a cluster to the council's Word and Excel files."""
import re

import docx
import openpyxl
import pytest

from app.extensions import db
from app.models import CafeTable, Cluster, Contribution, Event, Process
from tests.e2e.axe import assert_accessible, assert_fits_width, require_axe, violations

pytestmark = pytest.mark.browser

NARROW = {"width": 320, "height": 720}
LAPTOP = {"width": 1280, "height": 720}
TEXT = {
    "de": {"join": "Mitmachen", "send": "Idee abschicken", "next": "Nächste Runde (2) starten",
           "yes": "Ja, Runde 2 starten", "undo": "Rückgängig machen", "login": "Anmelden",
           "scenes": ["Frage und Zeit", "Ideen-Wand", "Abstimmung", "Wer sitzt wo", "Pause"],
           "open_vote": "Abstimmung öffnen", "goal": "Ziel daraus machen", "download": "Herunterladen"},
    "ar": {"join": "شارك", "send": "أرسل الفكرة", "next": "ابدأ الجولة التالية (2)",
           "yes": "نعم، ابدأ الجولة 2", "undo": "تراجع", "login": "تسجيل الدخول",
           "scenes": ["السؤال والوقت", "جدار الأفكار", "التصويت", "من يجلس أين", "استراحة"],
           "open_vote": "فتح التصويت", "goal": "تحويلها إلى هدف", "download": "تنزيل"},
}


@pytest.fixture
def demo(app, runner):
    """The demo as `make run` seeds it, and a cluster of two ideas on its board."""
    require_axe()
    result = runner.invoke(args=["demo"])
    password = re.search(r"password: (\S+)", result.output).group(1)
    with app.app_context():
        event = db.session.scalar(db.select(Event).order_by(Event.id))  # the demo's forum, made first
        process = db.session.get(Process, event.process_id)
        field = process.action_fields[0]
        cluster = Cluster(process_id=process.id, action_field_id=field.id, name="Orte der Begegnung")
        db.session.add(cluster)
        for idea in db.session.scalars(db.select(Contribution).filter_by(event_id=event.id).limit(2)):
            idea.action_field_id, idea.cluster = field.id, cluster
        table = db.session.scalar(db.select(CafeTable).filter_by(event_id=event.id, number=2))
        db.session.commit()
        return {"code": event.code, "event_id": event.id, "process_id": process.id, "password": password,
                "host_token": table.host_token, "projector_token": event.projector_token}


def checked(page, where, width=None):
    assert_accessible(page, where)
    if width:
        assert_fits_width(page, where, width)


def log_in(staff, demo, language):
    page = staff.open("/auth/login")
    checked(page, "login")
    page.fill("#email", "organisation@demo.example")
    page.fill("#password", demo["password"])
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_url("**/organise/")
    return page


@pytest.mark.parametrize("language", ["de", "ar"])
def test_participant_on_a_small_phone(app, phones, demo, language):
    t = TEXT[language]
    page = phones(language, viewport=NARROW, axe=True).open(f"/j/{demo['code']}/2")
    checked(page, "join", 320)
    page.get_by_role("button", name=t["join"]).first.click()
    page.wait_for_url(f"**/e/{demo['code']}")
    checked(page, "table", 320)
    page.fill("#text", "Ein Begegnungscafé im Rathaus" if language == "de" else "مقهى لقاء في البلدية")
    page.get_by_role("button", name=t["send"]).click()
    page.locator("#return-link").wait_for(state="visible", timeout=10_000)
    checked(page, "table with the return link", 320)
    return_url = page.locator("#return-url").input_value()
    with app.app_context():
        from app.services.cafe import voting
        voting.open_vote(db.session.get(Event, demo["event_id"]), 5, 3)
        db.session.commit()
    base = page.url.split("/e/")[0]
    page.goto(f"{base}/e/{demo['code']}/vote")
    checked(page, "vote", 320)
    page.goto(return_url.replace("http://cafe.test", base))
    checked(page, "my ideas", 320)
    for path in ("/privacy", "/barrierefreiheit"):
        page.goto(base + path)
        checked(page, path, 320)


@pytest.mark.parametrize("language", ["de", "ar"])
def test_table_host(phones, demo, language):
    page = phones(language, axe=True).open(f"/h/{demo['host_token']}")
    checked(page, "host", 360)
    page.locator("textarea").first.fill("Mehr Bänke am Fluss\nEin Sprachcafé")
    page.locator("form:has(textarea) button[type=submit]").first.click()
    page.wait_for_load_state()
    checked(page, "host after capturing", 360)


@pytest.mark.parametrize("language", ["de", "ar"])
def test_moderator_with_the_projector(phones, demo, language):
    t = TEXT[language]
    console = log_in(phones(language, viewport=LAPTOP, axe=True), demo, language)
    console.goto(console.url.replace("/organise/", f"/moderate/events/{demo['event_id']}"))
    checked(console, "console")
    screen = phones(language, viewport=LAPTOP, axe=True).open(f"/p/{demo['projector_token']}")

    console.get_by_role("button", name=t["next"]).click()  # round 1 has time left: asked first
    checked(console, "confirm")
    console.get_by_role("button", name=t["yes"]).click()
    console.get_by_role("button", name=t["undo"]).wait_for()
    checked(console, "console with undo")
    console.get_by_role("button", name=t["undo"]).click()
    console.wait_for_load_state()
    console.get_by_role("button", name=t["open_vote"]).click()
    console.wait_for_load_state()

    for scene, label in zip(["question", "wall", "vote", "rotation", "pause"], t["scenes"]):
        console.locator("#projector-scene").get_by_role("button", name=label, exact=True).click()
        console.wait_for_load_state()
        screen.locator(f"#round-info.scene-{scene}").wait_for(timeout=10_000)
        size = screen.evaluate("[document.documentElement.scrollWidth, document.documentElement.scrollHeight]")
        assert size[0] <= LAPTOP["width"] and size[1] <= LAPTOP["height"], f"{scene}: {size}"
        checked(screen, f"projector {scene}")
    console.goto(console.url.split("/moderate/")[0] + f"/moderate/events/{demo['event_id']}/rotation")
    checked(console, "rotation")


@pytest.mark.parametrize("language", ["de", "ar"])
def test_organiser_from_a_cluster_to_the_council_files(phones, demo, language):
    t = TEXT[language]
    staff = phones(language, viewport={"width": 1280, "height": 900}, axe=True)
    page = log_in(staff, demo, language)
    checked(page, "overview")
    base = page.url.split("/organise/")[0]
    page.goto(f"{base}/organise/events/{demo['event_id']}")
    checked(page, "event")
    with page.expect_download() as sheet:
        page.locator("a[href$='/results?format=xlsx']").click()
    assert sheet.value.suggested_filename.endswith(".xlsx")
    with open(sheet.value.path(), "rb") as file:  # Playwright's copy has no file name extension
        assert openpyxl.load_workbook(file).active.max_row > 10  # the demo's ideas
    page.goto(f"{base}/organise/processes/{demo['process_id']}/board")
    checked(page, "board")
    cluster = page.locator("details.cluster-edit").first
    cluster.locator("summary").click()
    cluster.get_by_role("button", name=t["goal"]).click()
    page.wait_for_url("**/goal-tree/**")  # the new goal, to fill in
    checked(page, "new goal")
    page.goto(f"{base}/organise/processes/{demo['process_id']}/goal-tree")
    assert page.get_by_text("Orte der Begegnung").count() >= 1
    checked(page, "goal tree")
    page.locator("details.downloads summary").click()
    page.locator("#format-docx").check()
    with page.expect_download() as report:
        page.locator("details.downloads").get_by_role("button", name=t["download"]).click()
    assert report.value.suggested_filename.endswith(".docx")
    text = "\n".join(paragraph.text for paragraph in docx.Document(report.value.path()).paragraphs)
    assert "Orte der Begegnung" in text  # the goal made from the cluster, in the council's report


def test_the_check_itself_finds_a_missing_text_alternative(phones):
    """The harness is not blind: a page with a picture without alt text fails it."""
    require_axe()
    page = phones("de", axe=True).page
    page.set_content('<html lang="de"><head><title>x</title></head><body><main><img src="a.png"></main></body></html>')
    assert any(found.startswith("image-alt") for found in violations(page))


@pytest.mark.parametrize("language", ["de", "ar"])
def test_a_visitor_reads_the_public_results_on_a_small_phone(app, phones, demo, language):
    with app.app_context():
        process = db.session.get(Process, demo["process_id"])
        process.results_public, process.published_formats = True, ["docx"]
        db.session.commit()
        process_uuid = process.uuid
    page = phones(language, viewport=NARROW, axe=True).open(f"/results/{process_uuid}")
    page.locator(".public-tree progress").first.wait_for()
    checked(page, "public results", 320)
    page.locator("details.public-ideas summary").first.click()
    page.locator("details.public-ideas a").first.click()
    page.wait_for_url("**/ideas/**")
    checked(page, "public idea", 320)
