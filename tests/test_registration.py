"""Registration before the event (issue 20, points 1 and 2): places, waiting list, needs under consent,
one person from registration to the table, staff registering and checking in, purge and export."""
import io
import json

import pytest
from openpyxl import load_workbook

from app.extensions import db
from app.models import AuditEntry, Contribution, Event, Participant
from tests.test_participate import post_idea, start_round


def set_registration(app, event_id, *, capacity=None, open_=True):
    with app.app_context():
        event = db.session.get(Event, event_id)
        event.registration_open, event.registration_capacity = open_, capacity
        db.session.commit()


def register(phone, code, name, **fields):
    data = {"name": name, **fields}
    return phone.post(f"/e/{code}/register", data=data)


def person(app, name) -> Participant:
    with app.app_context():
        found = db.session.scalar(db.select(Participant).filter_by(name=name))
        db.session.expunge(found)
        return found


@pytest.fixture
def event(make, app):
    event = make.event(tables=3, rounds=2)
    set_registration(app, event.id, capacity=2)
    return event


@pytest.fixture
def organiser(make, login, event):
    user = make.user("orga@example.org", roles=[(event.process_id, "organiser")])
    login(user)
    return user


def test_a_registration_is_the_person_who_joins_and_writes(app, event):
    phone = app.test_client()
    page = phone.get(f"/e/{event.code}/register")
    assert page.status_code == 200 and "Noch 2 Plätze frei." in page.get_data(as_text=True)
    response = register(phone, event.code, "Amina", languages=["ar", "de"], interpretation_language="ar",
                        needs_consent="y")
    token = person(app, "Amina").token
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/r/{token}")
    link_page = phone.get(f"/r/{token}").get_data(as_text=True)
    assert "Sie sind angemeldet." in link_page and "Verdolmetschung in: العربية" in link_page
    # On the day: the same phone joins and writes as the registered person, not as a new one.
    start_round(app, event.round_ids[0])
    assert phone.post(f"/j/{event.code}/1", data={"interface_language": "ar", "writing_language": "ar"}).status_code == 303
    assert post_idea(phone, event.code, "مكان للقاء الجيران").status_code == 201
    assert person(app, "Amina").checked_in_at is not None  # at a table, so arrived
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Participant)) == 1
        amina = db.session.scalar(db.select(Participant).filter_by(name="Amina"))
        assert db.session.scalars(db.select(Contribution.text).filter_by(participant_id=amina.id)).all() == [
            "مكان للقاء الجيران"]


def test_another_device_takes_the_link_and_becomes_the_registered_person(app, event):
    laptop, phone = app.test_client(), app.test_client()
    register(laptop, event.code, "Olena")
    token = person(app, "Olena").token
    assert "Das bin ich" in phone.get(f"/r/{token}").get_data(as_text=True)
    phone.post(f"/r/{token}/take")
    start_round(app, event.round_ids[0])
    phone.post(f"/j/{event.code}/2", data={"interface_language": "uk", "writing_language": "uk"})
    assert post_idea(phone, event.code, "Більше курсів німецької").status_code == 201
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Participant)) == 1


def test_needs_without_consent_are_refused_and_nothing_typed_is_lost(app, event):
    phone = app.test_client()
    response = register(phone, event.code, "Karim", interpretation_language="fa", other_needs="Ruhiger Platz")
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "nur mit Ihrer Einwilligung" in page
    assert 'value="Karim"' in page and "Ruhiger Platz" in page
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Participant)) == 0


def test_ages_typed_in_arabic_digits_with_the_arabic_comma_count(app, event):
    register(app.test_client(), event.code, "Noor", childcare_ages="٣، ٦", needs_consent="y")
    assert person(app, "Noor").childcare_ages == "3, 6"


def test_bad_ages_and_address_get_a_message_not_an_error(app, event):
    phone = app.test_client()
    response = register(phone, event.code, "Lea", childcare_ages="drei", needs_consent="y")
    assert response.status_code == 400 and "Zahlen von 0 bis 17" in response.get_data(as_text=True)
    response = register(phone, event.code, "Lea", email="lea at example")
    assert response.status_code == 400 and "E-Mail-Adresse" in response.get_data(as_text=True)


def test_a_full_event_has_a_waiting_list_that_moves_up_on_cancellation(app, event):
    phones = [app.test_client() for _ in range(4)]
    for phone, name in zip(phones, ["A", "B", "C", "D"]):
        register(phone, event.code, name)
    states = {name: person(app, name).registration_state for name in "ABCD"}
    assert states == {"A": "registered", "B": "registered", "C": "waiting", "D": "waiting"}
    assert "an Stelle 2" in phones[3].get(f"/r/{person(app, 'D').token}").get_data(as_text=True)
    assert "Warteliste" in app.test_client().get(f"/e/{event.code}/register").get_data(as_text=True)
    phones[0].post(f"/r/{person(app, 'A').token}/cancel")
    assert person(app, "A").registration_state == "cancelled"
    assert person(app, "C").registration_state == "registered"
    assert "an Stelle 1" in phones[3].get(f"/r/{person(app, 'D').token}").get_data(as_text=True)


def test_only_the_link_s_own_phone_changes_or_cancels(app, event):
    owner, stranger = app.test_client(), app.test_client()
    register(owner, event.code, "Mia", step_free="y", needs_consent="y")
    token = person(app, "Mia").token
    assert stranger.post(f"/r/{token}/cancel").status_code == 303
    assert person(app, "Mia").registration_state == "registered"
    page = stranger.get(f"/r/{token}").get_data(as_text=True)
    assert "Stufenloser Zugang" not in page  # the needs are not shown to another phone
    assert stranger.get(f"/r/{token}/registration").status_code == 303


def test_withdrawing_consent_deletes_the_needs(app, event):
    phone = app.test_client()
    register(phone, event.code, "Sami", interpretation_language="ti", childcare_ages="2, 5", needs_consent="y")
    token = person(app, "Sami").token
    assert person(app, "Sami").childcare_ages == "2, 5"
    response = phone.post(f"/r/{token}/registration", data={"name": "Sami", "childcare_ages": ""})
    assert response.status_code == 303
    sami = person(app, "Sami")
    assert (sami.interpretation_language, sami.childcare_ages, sami.needs_consented_at) == (None, "", None)


def test_registration_closed_says_so(app, event):
    set_registration(app, event.id, open_=False)
    page = app.test_client().get(f"/e/{event.code}/register")
    assert page.status_code == 200 and "nicht anmelden" in page.get_data(as_text=True)
    assert register(app.test_client(), event.code, "X").status_code == 200
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Participant)) == 0


def test_organisers_see_counts_and_register_check_in_and_download(app, client, event, organiser):
    for name, language in [("P1", "ar"), ("P2", "ar")]:
        register(app.test_client(), event.code, name, interpretation_language=language, childcare_ages="3 und 6",
                 needs_consent="y")
    response = client.post(f"/organise/events/{event.id}/registrations/new", data={
        "name": "Herr Yilmaz", "interpretation_language": "tr", "needs_consent": "y"})
    assert response.status_code == 200 and "/r/" in response.get_data(as_text=True)
    assert person(app, "Herr Yilmaz").registration_state == "waiting"  # two places, both taken
    page = client.get(f"/organise/events/{event.id}/registrations").get_data(as_text=True)
    assert "2 Personen brauchen Verdolmetschung in: العربية" in page
    assert "4 Plätze in der Kinderbetreuung" in page and "Herr Yilmaz" in page
    yilmaz = person(app, "Herr Yilmaz")
    client.post(f"/organise/events/{event.id}/registrations/{person(app, 'P1').id}/check-in")
    assert person(app, "P1").checked_in_at is not None
    client.post(f"/organise/events/{event.id}/registrations/{person(app, 'P2').id}/cancel")
    assert person(app, "Herr Yilmaz").registration_state == "registered"
    settings = client.post(f"/organise/events/{event.id}/registrations",
                           data={"settings-registration_open": "y", "settings-capacity": "0"})
    assert settings.status_code == 400  # no places at all is not a setting
    download = client.get(f"/organise/events/{event.id}/registrations.xlsx")
    assert download.status_code == 200 and download.headers["Cache-Control"] == "private, no-store"
    sheet = load_workbook(io.BytesIO(download.data)).active
    rows = {row[1]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows["P1"][3] is not None and rows["Herr Yilmaz"][6] == "Türkçe" and yilmaz.number == rows["Herr Yilmaz"][0]
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(AuditEntry).filter_by(
            action="registration.export")) == 1


def test_a_participant_of_another_event_is_not_found(app, client, make, event, organiser):
    other = make.event(process_id=event.process_id, tables=1, rounds=1)
    set_registration(app, other.id)
    register(app.test_client(), other.code, "Fremd")
    response = client.post(f"/organise/events/{event.id}/registrations/{person(app, 'Fremd').id}/check-in")
    assert response.status_code == 404
    assert person(app, "Fremd").checked_in_at is None


def test_the_data_export_and_the_purge_include_the_registration(app, event, runner):
    phone = app.test_client()
    register(phone, event.code, "Rana", email="rana@example.org", languages=["fa"], interpretation_language="fa",
             needs_consent="y")
    token, rana_id = person(app, "Rana").token, person(app, "Rana").id
    data = json.loads(phone.get(f"/r/{token}/my-data.json").data)
    assert data["registration"]["email"] == "rana@example.org"
    assert data["registration"]["needs"]["interpretation_language"] == "fa"
    with app.app_context():
        from app.services.administration import privacy
        from app.services.cafe import events

        events.close_event(db.session.get(Event, event.id))
        privacy.purge_event(db.session.get(Event, event.id))
        db.session.commit()
        rana = db.session.get(Participant, rana_id)
    assert (rana.name, rana.email, rana.interpretation_language, rana.languages) == ("", "", None, [])
    assert rana.registration_state == "registered"  # the count stays true


def test_the_organisers_note_greets_each_phone_in_its_language(app, client, organiser, event):
    """Written per language on the settings form; a language without it shows the German, marked."""
    response = client.post(f"/organise/events/{event.id}/registrations", data={
        "settings-registration_open": "y", "settings-capacity": "2",
        "settings-note_de": "Kinderbetreuung im Nebenraum.\nDer Saal ist stufenlos erreichbar.",
        "settings-note_en": "Childcare in the side room.", "settings-note_ar": ""})
    assert response.status_code == 303
    with app.app_context():
        assert db.session.get(Event, event.id).registration_note == {
            "de": "Kinderbetreuung im Nebenraum.\nDer Saal ist stufenlos erreichbar.", "en": "Childcare in the side room."}
    assert "Childcare in the side room." in client.get(f"/organise/events/{event.id}/registrations").get_data(as_text=True)
    english = app.test_client()
    english.set_cookie("lang", "en")
    assert "Childcare in the side room." in english.get(f"/e/{event.code}/register").get_data(as_text=True)
    arabic = app.test_client()
    arabic.set_cookie("lang", "ar")
    page = arabic.get(f"/e/{event.code}/register").get_data(as_text=True)
    assert 'lang="de"' in page and "Kinderbetreuung im Nebenraum." in page and "(Deutsch)" in page
    too_long = client.post(f"/organise/events/{event.id}/registrations",
                           data={"settings-capacity": "2", "settings-note_de": "x" * 2001})
    assert too_long.status_code == 400 and "x" * 2001 in too_long.get_data(as_text=True)
