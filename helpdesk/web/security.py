"""Security headers on every response (Flask-Talisman), and no caching of anything personal.

The CSP allows scripts, styles, images and requests from this site only: no inline script or style
(templates link static files), no plugins, no <base> rewriting, forms post only here, and no other site
may frame a page. HSTS is sent with secure cookies, i.e. whenever the site is served over HTTPS.
"""
from __future__ import annotations

from flask import Flask, request
from flask_talisman import Talisman

CSP = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "connect-src": "'self'",
    "font-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
# Public, identical for everyone: the only responses a browser or proxy may keep.
CACHEABLE_PREFIXES = ("/static/", "/docs/")

talisman = Talisman()


def init_app(app: Flask) -> None:
    secure = app.config["SESSION_COOKIE_SECURE"]
    talisman.init_app(
        app,
        force_https=False,  # TLS ends at the reverse proxy; HSTS keeps browsers on HTTPS
        strict_transport_security=secure,
        # This host only: other hosts of the same domain (a university's) may not all serve HTTPS.
        strict_transport_security_include_subdomains=False,
        content_security_policy=CSP,
        frame_options="DENY",
        referrer_policy="same-origin",  # ticket refs in URLs never reach other sites
        # Talisman writes these into app.config: keep the values the configuration chose.
        session_cookie_secure=secure,
        session_cookie_http_only=app.config["SESSION_COOKIE_HTTPONLY"],
        session_cookie_samesite=app.config["SESSION_COOKIE_SAMESITE"],
    )

    @app.after_request
    def _no_store(response):
        # Tickets, queues, conversations, curation drafts and account pages must not outlive the session
        # in a browser cache or a shared proxy.
        if not request.path.startswith(CACHEABLE_PREFIXES):
            response.headers["Cache-Control"] = "no-store"
        return response
