"""The optional self-description (issue 20, point 4): only with consent, offered after the first idea,
never before the table page, in the person's language, withdrawable from the personal link."""
from app.extensions import db
from app.models import Participant
from tests.test_participate import event, join, post_idea  # noqa: F401 (event is a fixture)

OFFER = "Eine freiwillige Frage"


def me(app, nickname) -> Participant:
    with app.app_context():
        found = db.session.scalar(db.select(Participant).filter_by(nickname=nickname))
        db.session.expunge(found)
        return found


def test_offered_on_a_visit_after_the_first_idea_and_never_before(app, client, event):
    join_page = client.get(f"/j/{event.code}").get_data(as_text=True)
    join(client, event.code, table=1, nickname="Lina")
    assert OFFER not in join_page and OFFER not in client.get(f"/e/{event.code}").get_data(as_text=True)
    post_idea(client, event.code, "Ein Sprachcafé in der Bücherei")
    page = client.get(f"/e/{event.code}").get_data(as_text=True)
    assert OFFER in page
    # The return link comes first on the page, the invitation after it.
    assert page.index('id="return-link"') < page.index(OFFER)


def test_not_now_is_remembered_on_the_phone(app, client, event):
    join(client, event.code, table=1, nickname="Lina")
    post_idea(client, event.code, "Ein Sprachcafé in der Bücherei")
    assert client.post(f"/e/{event.code}/about-me/later").status_code == 303
    assert OFFER not in client.get(f"/e/{event.code}").get_data(as_text=True)


def test_asked_in_the_person_s_language_with_the_reason(app, client, event):
    join(client, event.code, table=1, nickname="Hadi", interface_language="ar", writing_language="ar")
    page = client.get(f"/r/{me(app, 'Hadi').token}/about-me").get_data(as_text=True)
    assert 'lang="ar"' in page and 'dir="rtl"' in page
    assert "Angaben zu Ihrer Person" not in page  # translated, not German


def test_stored_only_with_consent_and_withdrawn_from_the_link(app, client, event):
    join(client, event.code, table=1, nickname="Lina")
    token = me(app, "Lina").token
    refused = client.post(f"/r/{token}/about-me", data={"gender": "female", "age_band": "30_44"})
    assert refused.status_code == 400 and "Ohne Ihre Einwilligung" in refused.get_data(as_text=True)
    assert me(app, "Lina").gender is None
    saved = client.post(f"/r/{token}/about-me", data={"gender": "female", "age_band": "30_44",
                                                       "languages": ["de", "pl"], "consent": "y"})
    assert saved.status_code == 303
    lina = me(app, "Lina")
    assert (lina.gender, lina.age_band, lina.migration_experience, lina.languages) == ("female", "30_44", None, ["de", "pl"])
    assert lina.consented_at is not None
    assert "Meine Angaben löschen" in client.get(f"/r/{token}").get_data(as_text=True)
    client.post(f"/r/{token}/about-me/withdraw")
    lina = me(app, "Lina")
    assert (lina.gender, lina.age_band, lina.languages, lina.consented_at) == (None, None, [], None)


def test_an_unknown_answer_is_refused_with_a_message(app, client, event):
    join(client, event.code, table=1, nickname="Lina")
    response = client.post(f"/r/{me(app, 'Lina').token}/about-me", data={"gender": "robot", "consent": "y"})
    assert response.status_code == 400
    assert me(app, "Lina").consented_at is None


def test_another_phone_with_the_link_cannot_describe_the_person(app, client, event):
    join(client, event.code, table=1, nickname="Lina")
    token = me(app, "Lina").token
    stranger = app.test_client()
    assert stranger.post(f"/r/{token}/about-me", data={"gender": "male", "consent": "y"}).status_code == 303
    assert me(app, "Lina").gender is None
