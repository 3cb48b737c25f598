"""Which language a page speaks."""


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
    page = client.get("/", headers={"Accept-Language": "ti"}).get_data(as_text=True)
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
