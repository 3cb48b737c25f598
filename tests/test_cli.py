"""The command line: staff accounts and the demo."""
import os
import re
import stat

from app.extensions import db
from app.models import CafeTable, Event, Process, Round, User


def test_create_user_with_password_from_stdin(runner, app):
    result = runner.invoke(args=["users", "create", "Admin@Example.org", "--admin", "--password-stdin"],
                           input="a long enough secret\n")
    assert result.exit_code == 0, result.output
    with app.app_context():
        user = db.session.scalar(db.select(User))
        assert user.email == "admin@example.org" and user.is_admin
        assert user.check_password("a long enough secret")


def test_create_user_refuses_a_short_password_and_a_taken_address(runner, make):
    result = runner.invoke(args=["users", "create", "x@example.org", "--password-stdin"], input="short\n")
    assert result.exit_code != 0 and "mindestens 10 Zeichen" in result.output
    make.user("taken@example.org")
    result = runner.invoke(args=["users", "create", "taken@example.org", "--password-stdin"],
                           input="a long enough secret\n")
    assert result.exit_code != 0 and "bereits ein Konto" in result.output


def test_grant_by_process_id_and_uuid(runner, app, make):
    process = make.process()
    user = make.user("mod@example.org")
    assert runner.invoke(args=["users", "grant", user.email, str(process.id), "moderator"]).exit_code == 0
    assert runner.invoke(args=["users", "grant", user.email, process.uuid, "steering"]).exit_code == 0
    with app.app_context():
        assert db.session.get(User, user.id).roles_in(process.id) == {"moderator", "steering"}
    result = runner.invoke(args=["users", "grant", user.email, "999", "moderator"])
    assert result.exit_code != 0


def test_demo_twice_leaves_one_demo_and_prints_the_same_login(runner, app):
    first = runner.invoke(args=["demo"])
    second = runner.invoke(args=["demo"])
    assert first.exit_code == 0 and second.exit_code == 0, first.output + second.output
    code = re.search(r"Join code: (\w+)", first.output).group(1)
    password = re.search(r"password: (\S+)", first.output).group(1)
    assert f"Join code: {code}" in second.output and f"password: {password}" in second.output
    assert f"/j/{code}" in first.output
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Process.id))) == 1
        # The café, and around it the workshop and the interviews (issue 21).
        assert sorted(db.session.scalars(db.select(Event.format))) == ["interview", "workshop", "world_cafe"]
        cafe = db.session.scalar(db.select(Event).filter_by(format="world_cafe"))
        assert db.session.scalar(db.select(db.func.count(CafeTable.id)).filter_by(event_id=cafe.id)) == 6
        rounds = db.session.scalars(db.select(Round).filter_by(event_id=cafe.id).order_by(Round.number)).all()
        assert [r.state for r in rounds] == ["running", "planned", "planned"]
        assert all(r.question.get("de") and r.question.get("en") for r in rounds)
        process = db.session.scalar(db.select(Process))
        assert len(process.action_fields) == 4
        assert all(f.name.get("en") and f.description.get("de") for f in process.action_fields)
    credentials = app.config["DEMO_CREDENTIALS_FILE"]
    assert stat.S_IMODE(os.stat(credentials).st_mode) == 0o600


def test_demo_warns_when_its_join_url_names_this_computer_only(runner, app):
    app.config["PUBLIC_BASE_URL"] = ""
    output = runner.invoke(args=["demo"]).output
    assert "Join URL:  http://127.0.0.1:" in output and "Warning: phones cannot reach this address" in output
    assert "PUBLIC_BASE_URL" in output
    app.config["PUBLIC_BASE_URL"] = "http://192.168.1.20:5000"
    output = runner.invoke(args=["demo"]).output
    assert "Join URL:  http://192.168.1.20:5000/j/" in output and "Warning" not in output


def test_demo_organiser_can_log_in(runner, client):
    output = runner.invoke(args=["demo"]).output
    email = re.search(r"e-mail:\s+(\S+)", output).group(1)
    password = re.search(r"password: (\S+)", output).group(1)
    response = client.post("/auth/login", data={"email": email, "password": password}, follow_redirects=True)
    assert "Wie leben wir 2030 zusammen?" in response.get_data(as_text=True)
