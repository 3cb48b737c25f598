"""Every projector scene fits 1280x720 and 1920x1080 without scrolling, in German and Arabic, on the
demo with long ideas (long words, an address) and a rotation plan."""
import pytest

from app.extensions import db
from app.models import Contribution, Event, Participant, Round, Seat
from app.projector.scenes import SCENE_LABELS
from app.services.administration.demo import seed_demo
from app.services.cafe import joining, voting

pytestmark = pytest.mark.browser

LONG = [
    "Donaudampfschifffahrtsgesellschaftskapitänsmützenaufbewahrungsstelle im Rathaus einrichten " * 2,
    "Mehr Informationen unter https://www.example-stadt.de/integration/wie-leben-wir-2030-zusammen/ergebnisse",
    "نقترح مقهى لغة أسبوعيًا في المكتبة العامة حيث يلتقي القادمون الجدد والسكان القدامى " * 3,
]


@pytest.fixture
def hall(app):
    """The demo with long ideas, the vote open, and round 1 seated as the rotation left it."""
    with app.app_context():
        event = seed_demo("").event
        first = db.session.scalar(db.select(Round).filter_by(event_id=event.id, number=1))
        for n, text in enumerate(LONG * 3):
            person = joining.join(event, interface_language="de", writing_language="de",
                                  nickname="Name" * (n % 3 + 1))
            table = event.tables[n % len(event.tables)]
            db.session.add(Seat(participant=person, round=first, table=table))
            db.session.add(Contribution(event=event, round=first, table=table, participant=person, text=text,
                                        language="ar" if text.startswith("ن") else "de", origin="participant"))
        voting.open_vote(event, 5, 3)
        ideas = db.session.scalars(db.select(Contribution).filter_by(event_id=event.id)
                                   .order_by(Contribution.id.desc()).limit(12)).all()
        for person, idea in zip(db.session.scalars(db.select(Participant).filter_by(event_id=event.id)), ideas * 5):
            voting.give_dot(person, idea)  # the long ideas among the top ten, bars of every length
        db.session.commit()
        return {"id": event.id, "token": event.projector_token}


@pytest.mark.parametrize("language", ["de", "ar"])
def test_every_scene_fits_the_screen(app, browser, live_server, hall, language):
    for width, height in ((1280, 720), (1920, 1080)):
        context = browser.new_context(viewport={"width": width, "height": height}, locale=language,
                                      extra_http_headers={"Accept-Language": language})
        page = context.new_page()
        for scene in SCENE_LABELS:
            with app.app_context():
                event = db.session.get(Event, hall["id"])
                event.projector_scene = scene
                event.revision += 1
                db.session.commit()
            page.goto(f"{live_server}/p/{hall['token']}")
            page.locator(f"#round-info.scene-{scene}").wait_for()
            page.wait_for_timeout(200)  # the QR code's picture
            size = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.scrollHeight]")
            assert size[0] <= width and size[1] <= height, f"{scene} at {width}x{height} in {language}: {size}"
        # The scene follows the console without a reload.
        with app.app_context():
            event = db.session.get(Event, hall["id"])
            event.projector_scene, event.revision = "wall", event.revision + 1
            db.session.commit()
        page.locator("#round-info.scene-wall").wait_for(timeout=10_000)
        assert page.evaluate("performance.getEntriesByType('navigation').length") == 1
        context.close()
