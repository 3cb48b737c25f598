"""The application factory."""
import os

from flask import Flask

from app import database  # noqa: F401  (the connections' settings and checks)
from config import BASE_DIR, INSTANCE_DIR, Config, ProductionConfig


def create_app(config_class: type[Config] | None = None) -> Flask:
    if config_class is None:
        config_class = ProductionConfig if os.environ.get("APP_ENV") == "production" else Config
    if hasattr(config_class, "check"):
        config_class.check()

    app = Flask(__name__, instance_path=str(INSTANCE_DIR))
    app.config.from_object(config_class)
    os.makedirs(app.instance_path, exist_ok=True)
    from app.safety import init_safety
    init_safety(app)  # clean text, bounded ids, before any route is added

    from app.extensions import babel, csrf, db, login_manager, migrate
    from app.i18n import init_i18n
    from app import models  # noqa: F401  (every table known to Alembic)

    db.init_app(app)
    migrate.init_app(app, db, directory=str(BASE_DIR / "migrations"))
    csrf.init_app(app)
    login_manager.init_app(app)
    babel.init_app(app, locale_selector=_locale_selector)
    init_i18n(app)

    from app.access import init_access
    init_access(app)

    from app.livepoll import init_livepoll
    init_livepoll(app)  # unchanged live polls and shared fragments answered before Flask runs
    from app.security import init_security
    init_security(app)  # headers on every answer, the gate's too: so it wraps the gate

    from app.actors.link_routes import bp as actor_link_bp
    from app.actors.routes import bp as actors_bp
    from app.auth.routes import bp as auth_bp
    from app.board.routes import bp as board_bp
    from app.errors.handlers import bp as errors_bp
    from app.exports.routes import bp as exports_bp
    from app.public.routes import bp as public_bp
    from app.online.routes import bp as online_bp
    from app.registration.routes import bp as registration_bp
    from app.goaltree import bp as goaltree_bp
    from app.host.routes import bp as host_bp
    from app.interpret.routes import bp as interpret_bp
    from app.main.routes import bp as main_bp
    from app.ideas.routes import bp as ideas_bp
    from app.moderate.routes import bp as moderate_bp
    from app.organise.routes import bp as organise_bp
    from app.participate.routes import bp as participate_bp
    from app.privacy.routes import bp as privacy_bp
    from app.projector.routes import bp as projector_bp
    from app.suggestions.routes import bp as suggestions_bp
    from app.rotation.routes import bp as rotation_bp
    from app.voting.routes import bp as voting_bp

    app.register_blueprint(errors_bp)
    app.register_blueprint(main_bp)
    app.register_blueprint(auth_bp, url_prefix="/auth")
    app.register_blueprint(organise_bp, url_prefix="/organise")
    app.register_blueprint(board_bp, url_prefix="/organise")
    app.register_blueprint(participate_bp)
    app.register_blueprint(moderate_bp, url_prefix="/moderate")
    app.register_blueprint(rotation_bp, url_prefix="/moderate")
    app.register_blueprint(ideas_bp, url_prefix="/moderate")
    app.register_blueprint(projector_bp)
    app.register_blueprint(privacy_bp)
    app.register_blueprint(suggestions_bp, url_prefix="/organise")
    app.register_blueprint(host_bp)
    app.register_blueprint(interpret_bp, url_prefix="/interpret")
    app.register_blueprint(goaltree_bp, url_prefix="/organise")
    app.register_blueprint(voting_bp)
    app.register_blueprint(exports_bp, url_prefix="/organise")
    app.register_blueprint(public_bp)
    app.register_blueprint(online_bp)
    app.register_blueprint(registration_bp)
    app.register_blueprint(actors_bp, url_prefix="/organise")
    app.register_blueprint(actor_link_bp)

    from app.limits import init_limits
    init_limits(app)  # per-address limits on the views that take input: after every blueprint

    from app.delivery import init_delivery
    init_delivery(app)  # reads the static files' manifest: after every blueprint is known

    from app.cli import register_cli
    register_cli(app)

    from app.proxies import init_proxies
    from app.request_log import init_request_log
    init_request_log(app)  # secrets masked in every log line: reads the routes, so after the blueprints
    init_proxies(app)  # X-Forwarded-* of trusted proxies: wraps everything above
    return app


def _locale_selector():
    from app.i18n import select_locale
    return select_locale()

