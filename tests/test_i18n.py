"""Which language a page speaks."""

import pytest


def test_german_by_default(client):
    page = client.get("/").get_data(as_text=True)
    assert '<html lang="de" dir="ltr">' in page
    assert "Mitreden und mitgestalten" in page


def test_arabic_phone_gets_right_to_left_arabic(client):
    page = client.get("/", headers={"Accept-Language": "ar-SY,ar;q=0.9"}).get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in page
    assert "شارك" in page  # the Arabic heading, not the German source


def test_english_phone_gets_english(client):
    page = client.get("/", headers={"Accept-Language": "en-GB,en;q=0.8"}).get_data(as_text=True)
    assert '<html lang="en" dir="ltr">' in page and "Have your say" in page


def test_unshipped_language_falls_back_to_german(client):
    page = client.get("/", headers={"Accept-Language": "so"}).get_data(as_text=True)
    assert '<html lang="de"' in page


def test_explicit_choice_beats_the_phone(client):
    response = client.get("/lang/en?next=/")
    assert response.status_code == 302 and response.headers["Location"] == "/"
    page = client.get("/", headers={"Accept-Language": "ar"}).get_data(as_text=True)
    assert '<html lang="en" dir="ltr">' in page


def test_language_switch_refuses_unknown_languages_and_other_sites(client):
    assert client.get("/lang/xx").status_code == 404
    assert client.get("/lang/de?next=//evil.example/").headers["Location"] == "/"
    assert client.get("/lang/de?next=https://evil.example/").headers["Location"] == "/"


def test_switcher_names_each_language_in_itself(client):
    page = client.get("/").get_data(as_text=True)
    for name in ("Deutsch", "English", "العربية"):
        assert name in page


def test_error_pages_are_translated(client):
    response = client.get("/no/such/page", headers={"Accept-Language": "en"})
    assert response.status_code == 404
    assert "This page does not exist" in response.get_data(as_text=True)


@pytest.mark.parametrize("header, expected", [
    ("uk-UA,uk;q=0.9", "uk"),
    ("uk-UA", "uk"),
    ("tr-TR", "tr"),
    ("so-SO,en;q=0.5", "en"),  # an unsupported language: English where the phone lists it
    ("am-ET,ar;q=0.8,en;q=0.5", "ar"),  # else the first language the phone lists that is shipped
    ("so", "de"),
    ("ti-ER,en;q=0.5", "ti"),
    ("fa-IR,ar;q=0.8", "fa"),
    ("prs-AF", "fa"),  # Dari is served by Persian
    ("ps-AF", "ps"),
    ("ku-TR,tr;q=0.8", "ku"),
    ("ru-UA,uk;q=0.8", "ru"),
    ("pl-PL", "pl"),
    ("ro-MD", "ro"),
    ("en;q=0,uk;q=0", "de"),  # q=0: not acceptable
])
def test_phone_languages_fall_back_sensibly(client, header, expected):
    page = client.get("/", headers={"Accept-Language": header}).get_data(as_text=True)
    assert f'<html lang="{expected}"' in page


def test_ukrainian_and_turkish_pages_are_translated(client):
    assert "Обговорюйте й впливайте" in client.get("/", headers={"Accept-Language": "uk-UA"}).get_data(as_text=True)
    turkish = client.get("/", headers={"Accept-Language": "tr-TR"}).get_data(as_text=True)
    assert "Mitreden" not in turkish and '<html lang="tr" dir="ltr">' in turkish


def test_dari_is_served_by_persian_where_persian_ships(other_app):
    app = other_app(LANGUAGES=["de", "en", "fa"])
    page = app.test_client().get("/", headers={"Accept-Language": "prs-AF"}).get_data(as_text=True)
    assert '<html lang="fa" dir="rtl">' in page
    page = app.test_client().get("/", headers={"Accept-Language": "fa-AF"}).get_data(as_text=True)
    assert '<html lang="fa" dir="rtl">' in page


def test_unsupported_phone_gets_the_events_default_language(app, client, make):
    from app.extensions import db
    from app.models import Event

    event = make.event(languages=("en", "de"))
    with app.app_context():
        db.session.get(Event, event.id).default_language = "en"
        db.session.commit()
    page = client.get(f"/j/{event.code}", headers={"Accept-Language": "so"}).get_data(as_text=True)
    assert '<html lang="en"' in page


def test_einfache_sprache_has_one_code_and_a_babel_catalog_name():
    from babel import Locale

    from app.languages import BY_CODE, babel_name, from_babel

    assert "de-x-simple" in BY_CODE and "de-simple" not in BY_CODE
    locale = Locale.parse(babel_name("de-x-simple"))
    assert (locale.language, locale.modifier) == ("de", "simple")  # German dates and numbers
    assert from_babel(str(locale)) == "de-x-simple"
