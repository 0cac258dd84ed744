"""Webhook mode: an HTTP server Telegram POSTs each update to, and its start-up.

PTB's own server (``Updater.start_webhook``) answers a body that is not JSON with
HTTP 500 and logs it at DEBUG only; a port already in use and Telegram refusing
``setWebhook`` come out as tracebacks, and it tells Telegram the URL before knowing
it can listen. This is PTB's "custom webhook" pattern instead: an Application
without an Updater, each update put on ``application.update_queue``, served by
tornado (which PTB's ``webhooks`` extra brings):

- ``X-Telegram-Bot-Api-Secret-Token`` missing or wrong: 403 (compared in constant time);
- a body that is not a JSON object, or not an Update: 400 and one WARNING line;
- the port taken: a ConfigError (one line, exit code 2), before Telegram is told anything;
- Telegram refusing the URL in setWebhook: the same, with Telegram's reason.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import re
from collections.abc import Sequence
from typing import Any

import tornado.httpserver
import tornado.web
from telegram import Update
from telegram.error import TelegramError
from telegram.ext import Application, ExtBot

from bot.errors import ConfigError
from bot.settings import Settings
from bot.telegram_bot.failures import describe

__all__ = ["SECRET_HEADER", "serve_webhook", "webhook_server"]

logger = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


class UpdateHandler(tornado.web.RequestHandler):
    """POST <path>: one update from Telegram, onto the application's queue."""

    app: Application
    secret: bytes

    def initialize(self, app: Application, secret: str) -> None:
        self.app, self.secret = app, secret.encode()

    async def post(self) -> None:
        given = self.request.headers.get(SECRET_HEADER, "").encode()
        if not hmac.compare_digest(given, self.secret):
            self.send_error(403)  # not logged: anyone on the internet can knock
            return
        update = self._update()
        if update is None:
            self.send_error(400)
            return
        if isinstance(self.app.bot, ExtBot):  # as PTB's own webhook does, for arbitrary callback data
            self.app.bot.insert_callback_data(update)
        await self.app.update_queue.put(update)
        self.finish()

    def _update(self) -> Update | None:
        """The update in the body, or None after logging one line saying why not."""
        body = self.request.body
        try:
            data = json.loads(body)
        except ValueError as exc:  # UnicodeDecodeError included
            logger.warning("Webhook: refused a %d-byte body that is not JSON (%s)", len(body), exc)
            return None
        try:
            update = Update.de_json(data, self.app.bot) if isinstance(data, dict) else None
        except Exception as exc:  # PTB's parser raises TypeError, KeyError, AttributeError... on odd shapes
            logger.warning("Webhook: refused a JSON body that is not an update (%s: %s)", type(exc).__name__, exc)
            return None
        if update is None or not isinstance(update.update_id, int):
            logger.warning("Webhook: refused a JSON body that is not an update (no update_id)")
            return None
        return update

    def log_exception(self, *args: Any) -> None:
        """Quiet: every failure above is already one line."""


def webhook_server(app: Application, path: str, secret: str) -> tornado.httpserver.HTTPServer:
    """The server for ``/<path>`` (not listening yet)."""
    routes = [(rf"/{re.escape(path)}/?" if path else r"/", UpdateHandler, {"app": app, "secret": secret})]
    return tornado.httpserver.HTTPServer(tornado.web.Application(routes, log_function=lambda handler: None))


async def serve_webhook(
    app: Application, settings: Settings, path: str, allowed_updates: Sequence[str], stop: asyncio.Event
) -> None:
    """Listen, point Telegram at WEBHOOK_URL, handle updates until ``stop`` is set; then stop the application.

    ``app`` is initialized (``run`` logged in with getMe). Start-up failures are ConfigErrors, one line each.
    """
    assert settings.webhook_url is not None and settings.webhook_secret is not None
    server = webhook_server(app, path, settings.webhook_secret)
    try:
        server.listen(settings.port, address=settings.listen)
    except OSError as exc:
        raise ConfigError(
            f"cannot listen on {settings.listen}:{settings.port} ({exc.strerror or exc}); "
            "stop what uses that port or set PORT / LISTEN"
        ) from None
    try:
        try:
            await app.bot.set_webhook(
                settings.webhook_url, secret_token=settings.webhook_secret, allowed_updates=allowed_updates
            )
        except TelegramError as exc:
            raise ConfigError(f"Telegram did not accept WEBHOOK_URL {settings.webhook_url} ({describe(exc)})") from None
        if app.post_init:
            await app.post_init(app)
        await app.start()
        await stop.wait()
    finally:
        server.stop()  # no new updates; then the application finishes those it has
        await server.close_all_connections()
        if app.running:
            await app.stop()
