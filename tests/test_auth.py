"""Staff login, and roles that hold per process."""


def test_login_with_the_right_password(client, make):
    user = make.user("orga@example.org")
    response = client.post("/auth/login", data={"email": "Orga@Example.org ", "password": user.password})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/organise/")


def test_wrong_password_is_refused_with_a_message(client, make):
    make.user("orga@example.org")
    response = client.post("/auth/login", data={"email": "orga@example.org", "password": "nope"})
    assert response.status_code == 200
    assert "E-Mail-Adresse oder Passwort ist falsch" in response.get_data(as_text=True)
    assert client.get("/organise/").status_code == 302  # still not logged in


def test_login_does_not_redirect_to_another_site(client, make):
    user = make.user("orga@example.org")
    response = client.post("/auth/login", data={"email": user.email, "password": user.password,
                                                "next": "https://evil.example/"})
    assert response.headers["Location"].endswith("/organise/")


def test_logout(client, make, login):
    login(make.user("orga@example.org"))
    assert client.post("/auth/logout").status_code == 302
    assert client.get("/organise/").status_code == 302


def test_staff_pages_need_a_login(client, make):
    process = make.process()
    response = client.get(f"/organise/processes/{process.id}")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_an_organiser_has_no_rights_in_another_process(client, make, login):
    ours, theirs = make.process("Unser Prozess"), make.process("Fremder Prozess")
    login(make.user("orga@example.org", roles=[(ours.id, "organiser")]))
    assert client.get(f"/organise/processes/{ours.id}").status_code == 200
    assert client.get(f"/organise/processes/{theirs.id}").status_code == 403
    listing = client.get("/organise/").get_data(as_text=True)
    assert "Unser Prozess" in listing and "Fremder Prozess" not in listing


def test_roles_imply_only_what_they_should(app, make):
    from app.extensions import db
    from app.models import User

    process = make.process()
    organiser = make.user("o@example.org", roles=[(process.id, "organiser")])
    interpreter = make.user("i@example.org", roles=[(process.id, "interpreter")])
    with app.app_context():
        o, i = db.session.get(User, organiser.id), db.session.get(User, interpreter.id)
        assert o.has_role(process.id, "moderator") and o.has_role(process.id, "steering")
        assert not i.has_role(process.id, "moderator")
        assert not o.has_role(process.id + 1, "moderator")


def test_only_admins_create_processes(client, make, login):
    login(make.user("orga@example.org"))
    assert client.get("/organise/processes/new").status_code == 403
    assert client.post("/organise/processes/new", data={"title": "X"}).status_code == 403


def test_admin_creates_a_process_with_the_four_action_fields(client, make, login):
    login(make.user("admin@example.org", admin=True))
    response = client.post("/organise/processes/new", data={"title": "Wie leben wir 2030 zusammen?"},
                           follow_redirects=True)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    for name in ("Ausbildung und Arbeit", "Sprache und Bildung", "Wohnen und Quartier", "Teilhabe und Engagement"):
        assert name in page


def test_empty_process_title_keeps_the_form_with_a_message(client, make, login):
    login(make.user("admin@example.org", admin=True))
    response = client.post("/organise/processes/new", data={"title": "  ", "description": "Mein Text"})
    page = response.get_data(as_text=True)
    assert "Bitte geben Sie einen Titel ein." in page and "Mein Text" in page


def test_admin_grants_a_role_that_then_opens_the_process(client, app, make, login):
    process = make.process()
    steering = make.user("lenkung@example.org")
    login(make.user("admin@example.org", admin=True))
    response = client.post(f"/organise/processes/{process.id}/roles",
                           data={"email": steering.email, "role": "steering"})
    assert response.status_code == 302
    client.post("/auth/logout")
    login(steering)
    assert client.get(f"/organise/processes/{process.id}").status_code == 200


def test_organisers_cannot_grant_roles(client, make, login):
    process = make.process()
    login(make.user("orga@example.org", roles=[(process.id, "organiser")]))
    response = client.post(f"/organise/processes/{process.id}/roles",
                           data={"email": "orga@example.org", "role": "organiser"})
    assert response.status_code == 403


def test_posts_need_a_csrf_token(make, other_app):
    client = other_app(WTF_CSRF_ENABLED=True).test_client()
    user = make.user("orga@example.org")
    response = client.post("/auth/login", data={"email": user.email, "password": user.password})
    assert response.status_code == 400
    assert "Formular" in response.get_data(as_text=True)


def test_the_only_way_to_log_in_is_the_throttled_one():
    """A second, unthrottled credentials check next to limits.authenticate would invite its use."""
    from app.services.administration import users
    assert not hasattr(users, "authenticate")
