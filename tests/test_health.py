from app import create_app
from config import TestConfig


def test_healthz_reports_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


def test_healthz_is_503_without_a_database(tmp_path):
    missing = tmp_path / "no" / "such" / "dir" / "db.sqlite"
    config = type("Broken", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{missing}"})
    response = create_app(config).test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["status"] == "error"
