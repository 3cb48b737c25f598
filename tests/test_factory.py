import pytest

from app import create_app
from config import Config, ProductionConfig, TestConfig


def test_test_config_is_used(app):
    assert app.testing
    assert app.config["SQLALCHEMY_DATABASE_URI"] != Config.SQLALCHEMY_DATABASE_URI


def test_default_config_is_not_testing(monkeypatch):
    assert not create_app(type("C", (Config,), {"SQLALCHEMY_DATABASE_URI": "sqlite://"})).testing


def test_production_refuses_the_default_secret_key():
    insecure = type("P", (ProductionConfig,), {"SECRET_KEY": "dev-insecure-change-me"})
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app(insecure)


def test_production_starts_with_a_real_key():
    secure = type("P", (ProductionConfig,), {"SECRET_KEY": "x" * 64, "SQLALCHEMY_DATABASE_URI": "sqlite://",
                                               "PUBLIC_BASE_URL": "https://cafe.stadt.example"})
    assert create_app(secure).config["SESSION_COOKIE_SECURE"] in (True, False)


def test_translations_point_at_the_top_level_folder(app):
    assert app.config["BABEL_TRANSLATION_DIRECTORIES"].endswith("/translations")
    assert not TestConfig.WTF_CSRF_ENABLED
