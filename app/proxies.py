"""Behind a reverse proxy: the phone's address, the scheme and the host as the proxy received them.

nginx (deploy/nginx.conf) ends TLS and passes on what it was asked in X-Forwarded-For, -Proto,
-Host, -Port and -Prefix. The app believes these headers only from as many proxies as the town
says it runs in front of it (TRUSTED_PROXIES, 0 by default): anyone can send them, and a server
reached directly must not let a phone choose the address written in QR codes or the logs.
"""
from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix


def init_proxies(app: Flask) -> None:
    """Outermost, so that also the answers made before Flask runs (app/livepoll.py) see it."""
    count = int(app.config.get("TRUSTED_PROXIES") or 0)
    if count > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count, x_port=count,
                                x_prefix=count)
