"""The demo's registration: hosts with their languages, people registered with their needs, and
self-descriptions given by some of the people at the tables, so that the organisers' counts, the
seating by language and the participation report have something true to show."""
import random

from app.extensions import db
from app.models import Event, Participant
from app.models.base import utcnow
from app.models.participant import AGE_BANDS, GENDERS, MIGRATION_EXPERIENCE
from app.services.cafe import joining
from app.tokens import new_token

# Table number → (host, the languages the host speaks besides German).
DEMO_HOSTS = {
    1: ("Ulrike Brandt", ["en"]),
    2: ("Samir Haddad", ["ar", "en"]),
    3: ("Oksana Melnyk", ["uk", "ru"]),
    4: ("Emre Aydın", ["tr"]),
    5: ("Nour Al-Khatib", ["ar", "fr"]),
    6: ("Peter Wolf", []),
}

DEMO_PLACES = 80

# Name or pseudonym, interface language, languages spoken, interpretation into, children's ages,
# step-free access, other needs.
DEMO_REGISTRATIONS = [
    ("Rasha M.", "ar", ["ar"], "ar", "3, 6", False, ""),
    ("Abdullah", "ar", ["ar", "ku"], "ar", "", False, ""),
    ("Familie Osman", "ar", ["ar"], "ar", "1, 4, 8", False, ""),
    ("Halyna", "uk", ["uk", "ru"], "uk", "5", False, ""),
    ("Serhii K.", "uk", ["uk"], "uk", "", True, ""),
    ("Ayşe Demir", "tr", ["tr", "de"], "", "2", False, ""),
    ("Gisela Hoffmann", "de", ["de"], "", "", True, "Ich höre schlecht: bitte ein ruhiger Tisch."),
    ("M. Rahimi", "de", ["fa", "de"], "fa", "", False, ""),
    ("Tom", "en", ["en", "de"], "", "", False, ""),
    ("Marta Nowak", "de", ["pl", "de"], "", "7", False, ""),
]


# What the organisers tell people before they register (shown on the registration page).
DEMO_NOTE = {
    "de": "Kinderbetreuung im Nebenraum für Kinder ab 2 Jahren. Der Saal ist stufenlos erreichbar.\n"
          "An den Tischen wird auch Arabisch, Englisch, Türkisch und Ukrainisch gesprochen.",
    "en": "Childcare in the side room for children aged 2 and over. The hall is step-free.\n"
          "Arabic, English, Turkish and Ukrainian are also spoken at the tables.",
    "ar": "رعاية الأطفال في الغرفة المجاورة للأطفال من عمر سنتين. القاعة بلا درجات.\n"
          "تُتحدَّث على الطاولات أيضًا العربية والإنجليزية والتركية والأوكرانية.",
}


def seed_registrations(event: Event) -> None:
    """Once per demo: registration open with places, the hosts, the registrations, the self-descriptions."""
    if db.session.scalar(db.select(db.func.count()).select_from(Participant).where(
            Participant.event_id == event.id, Participant.registration_state.is_not(None))):
        return
    event.registration_open, event.registration_capacity = True, DEMO_PLACES
    event.registration_note = DEMO_NOTE
    for table in event.tables:
        table.host_name, table.host_languages = DEMO_HOSTS.get(table.number, ("", []))
    now = utcnow()
    for name, interface, spoken, interpretation, ages, step_free, other in DEMO_REGISTRATIONS:
        needs = bool(interpretation or ages or step_free or other)
        db.session.add(Participant(
            event=event, token=new_token(), number=joining.next_number(event), interface_language=interface,
            writing_language=spoken[0], name=name, languages=spoken, registration_state="registered",
            registered_at=now, needs_consented_at=now if needs else None,
            interpretation_language=interpretation or None, childcare_ages=ages, step_free=step_free,
            other_needs=other))
    _self_descriptions(event)
    db.session.flush()


def _self_descriptions(event: Event) -> None:
    """About two in three of the people at the tables described themselves, each answer skippable."""
    rng = random.Random(2030)
    people = db.session.scalars(db.select(Participant).where(
        Participant.event_id == event.id, Participant.registration_state.is_(None)).order_by(Participant.id))
    for participant in people:
        if rng.random() > 0.65:
            continue
        participant.consented_at = utcnow()
        participant.gender = rng.choices(GENDERS, weights=[48, 42, 3, 7])[0]
        participant.age_band = rng.choices(AGE_BANDS, weights=[5, 22, 30, 28, 12, 3])[0]
        participant.migration_experience = rng.choices(MIGRATION_EXPERIENCE, weights=[35, 15, 45, 5])[0]
        participant.languages = ["de"] if participant.writing_language == "de" else [participant.writing_language, "de"]
