"""The demo: a process, a World-Café event and an organiser, created once and found again after."""
import os
import secrets
import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from app.extensions import db
from app.languages import interface_codes
from app.models import Contribution, ContributionTranslation, Event, Participant, Process, Round, Seat
from app.models.base import utcnow
from app.services.administration import (demo_actors, demo_goaltree, demo_monitoring, demo_registration,
                                         demo_steering, demo_workshops, processes, users)
from app.services.cafe import events, joining, live
from app.services.administration.demo_ideas import DEMO_IDEAS, DEMO_ONLINE_IDEAS
from app.tokens import new_token

# Fixed, so that a second run finds the demo instead of making another.
DEMO_PROCESS_UUID = uuid.UUID("6f1c1d52-2030-4c1e-9e5a-5a7d3a0c2030")
DEMO_EMAIL = "organisation@demo.example"

DEMO_QUESTIONS = [
    {
        "de": "Was brauchen Menschen, die neu nach Herdecke kommen, um sich hier schnell zu Hause zu fühlen?",
        "en": "What do people who are new to Herdecke need to feel at home here quickly?",
        "ar": "ما الذي يحتاجه القادمون الجدد إلى هيردكه ليشعروا بسرعة أنهم في بيتهم هنا؟",
        "uk": "Що потрібно людям, які щойно приїхали до Гердекке, щоб швидко відчути себе тут як удома?",
        "tr": "Herdecke'ye yeni gelen insanların burada kendilerini çabucak evlerinde hissetmeleri için neye ihtiyaçları var?",
    },
    {
        "de": "Wo begegnen sich Alteingesessene und Neuzugezogene heute – und wo fehlt es an Orten dafür?",
        "en": "Where do long-time residents and newcomers meet today – and where are places missing?",
        "ar": "أين يلتقي السكان القدامى والقادمون الجدد اليوم، وأين تنقص أماكن لذلك؟",
        "uk": "Де сьогодні зустрічаються старожили й новоприбулі – і де бракує для цього місць?",
        "tr": "Eskiden beri burada yaşayanlar ile yeni gelenler bugün nerede karşılaşıyor ve nerede buna uygun yerler eksik?",
    },
    {
        "de": "Was wollen wir bis 2030 gemeinsam erreichen, und wer packt mit an?",
        "en": "What do we want to achieve together by 2030, and who will lend a hand?",
        "ar": "ماذا نريد أن نحقق معًا حتى عام 2030، ومن سيشارك في العمل؟",
        "uk": "Чого ми хочемо досягти разом до 2030 року і хто долучиться?",
        "tr": "2030'a kadar birlikte neyi başarmak istiyoruz ve kim elini taşın altına koyacak?",
    },
]


@dataclass
class DemoResult:
    process: Process
    event: Event
    email: str
    password: str
    created: bool


def seed_demo(credentials_file: str) -> DemoResult:
    """Create the demo once; on later runs return what is there (and the stored password)."""
    process = db.session.scalar(db.select(Process).where(Process.uuid == DEMO_PROCESS_UUID))
    created = process is None
    if created:
        process = processes.create_process(
            "Wie leben wir 2030 zusammen?",
            description="Integrationskonzept der Stadt: Bürgerforum, Fachworkshops und Zielbaum.",
        )
        process.uuid = DEMO_PROCESS_UUID
        # The demo shows what a town may publish: its results page is on, with two downloads.
        process.results_public, process.published_formats = True, ["docx", "xlsx"]
        event = events.create_event(
            process, "Bürgerforum im Werner-Richard-Saal", starts_on=date.today() + timedelta(days=14),
            venue="Werner-Richard-Saal, Herdecke", languages=["de", "en", "ar", "uk", "tr"],
            table_count=6, questions=DEMO_QUESTIONS,
        )
        for table, topic in zip(event.tables, DEMO_TABLE_TOPICS):
            table.name = topic
        _start_first_round(event)
    event = process.events[0]
    if not db.session.scalar(db.select(db.func.count(Contribution.id)).filter_by(event_id=event.id)):
        _seed_ideas(event)
        _seed_online_phase(event)
    demo_registration.seed_registrations(event)
    demo_goaltree.seed_goal_tree(process)  # ends by computing the board's suggestions
    # The process around the café (each idempotent): the register of actors with their feedback,
    # a workshop for one field with an invited expert, and an interview.
    demo_actors.seed(process)
    demo_workshops.seed(process)
    demo_monitoring.seed(process)  # indicator values imported from a spreadsheet
    password = _organiser(process, credentials_file)
    demo_steering.seed(process)  # the steering group's decisions and comments, answered by the organiser
    db.session.flush()
    return DemoResult(process, event, DEMO_EMAIL, password, created)


def _seed_online_phase(event: Event) -> None:
    """An online phase open from three days ago for a month, with ideas from people without a table."""
    event.online_starts_on = date.today() - timedelta(days=3)
    event.online_ends_on = date.today() + timedelta(days=30)
    rounds = {round_.number: round_ for round_ in event.rounds}
    for number, language, text, german in DEMO_ONLINE_IDEAS:
        participant = Participant(event=event, token=new_token(), number=joining.next_number(event),
                                  interface_language=language if language in interface_codes() else "de",
                                  writing_language=language)
        idea = Contribution(event=event, round=rounds[number], participant=participant, text=text,
                            language=language, origin="online")
        if german:
            idea.translations.append(ContributionTranslation(language="de", text=german, made_by=DEMO_INTERPRETER))
        db.session.add(idea)


DEMO_INTERPRETER = "Sprachmittlung (Demo)"
# Some German ideas of table 1 read by the Arabic, Turkish and Ukrainian participants there:
# (first 40 characters of the idea) → {language: (translation, made by a machine?)}.
DEMO_TRANSLATIONS = {
    "Eine Willkommensmappe für alle Neuen: wi": {
        "ar": ("ملف ترحيب لكل القادمين الجدد: عناوين مهمة، أطباء، حضانات، جمعيات، أرقام الطوارئ. ويفضل أن يكون بعدة لغات وكتطبيق أيضًا.", False),
        "tr": ("Tüm yeni gelenler için bir hoş geldin dosyası: önemli adresler, doktorlar, kreşler, dernekler, acil numaralar. En iyisi birkaç dilde ve uygulama olarak da.", False),
        "uk": ("Вітальна папка для всіх новоприбулих: важливі адреси, лікарі, дитсадки, об'єднання, номери екстрених служб. Найкраще кількома мовами, а також як застосунок.", True),
    },
    "Kitaplätze!!! Ohne Kita kein Sprachkurs ": {
        "ar": ("أماكن في الحضانات!!! بدون حضانة لا دورة لغة للأمهات، وبدون دورة لغة لا عمل.", True),
        "uk": ("Місця в дитсадках!!! Без дитсадка немає мовного курсу для матерів, а без мовного курсу немає роботи.", False),
    },
}

# Some people gave a nickname at their table (every seventh idea's author): shown there, never
# on the public results.
DEMO_NICKNAMES = ["Mira", "Jonas", "Aylin", "Olena", "Karim", "Hanne", "Tomasz", "Leyla", "Bernd"]

DEMO_TABLE_TOPICS = ["am Fenster", "an der Bühne", "am Eingang", "an der Theke", "in der Mitte",
                     "an der Garderobe"]


def _start_first_round(event: Event) -> None:
    # Until round control exists, the demo leaves round 1 running so phones have a question.
    first: Round = event.rounds[0]
    first.state = "running"
    first.started_at = utcnow()
    first.ends_at = first.started_at + timedelta(minutes=first.duration_minutes)
    live.bump(event)


def _seed_ideas(event: Event) -> None:
    """Round 1's ideas, each from a pseudonymous participant seated at its table."""
    first = event.rounds[0]
    tables = {table.number: table for table in event.tables}
    for index, (number, language, text, german) in enumerate(DEMO_IDEAS):
        participant = Participant(event=event, token=new_token(), number=joining.next_number(event),
                                  interface_language=language if language in interface_codes() else "de",
                                  writing_language=language,
                                  nickname=DEMO_NICKNAMES[index // 7] if index % 7 == 0 else "")
        db.session.add(participant)
        db.session.add(Seat(participant=participant, round=first, table=tables[number]))
        idea = Contribution(event=event, round=first, table=tables[number], participant=participant,
                            text=text, language=language, origin="participant")
        if german:
            idea.translations.append(ContributionTranslation(language="de", text=german, made_by=DEMO_INTERPRETER))
        for language_to, (translated, machine) in DEMO_TRANSLATIONS.get(text[:40], {}).items():
            idea.translations.append(ContributionTranslation(
                language=language_to, text=translated, machine=machine,
                made_by="LibreTranslate" if machine else DEMO_INTERPRETER))
        db.session.add(idea)
    db.session.flush()
    live.bump(event)


def _organiser(process: Process, credentials_file: str) -> str:
    """The demo organiser; its password is made once and kept in a private file to print again."""
    path = Path(credentials_file) if credentials_file else None
    user = users.find_user(DEMO_EMAIL)
    if user is not None and path is not None and path.exists():
        password = path.read_text().splitlines()[1].split(":", 1)[1].strip()
        if user.check_password(password):
            users.grant_role(user, process, "organiser")
            return password
    password = secrets.token_urlsafe(12)
    if user is None:
        user = users.create_user(DEMO_EMAIL, password, name="Demo-Organisation")
    else:
        user.set_password(password)
    users.grant_role(user, process, "organiser")
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(f"e-mail: {DEMO_EMAIL}\npassword: {password}\n")
        os.chmod(path, 0o600)
    return password
