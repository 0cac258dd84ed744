"""The Telegram bot: ``build_app`` wires it up, ``run`` starts it (long polling, or a webhook).

``build_app(settings, library)`` reads as the table of contents: the builder
(token, Bot API URL, HTML defaults, concurrency, rate limiting and retries),
the typed ``bot_data`` handlers read (``BotData``), the routing table (the
commands from ``bot.telegram_bot.commands``), the error handler. The handlers
themselves are in ``bot.telegram_bot.handlers``.

Sending (retries around PTB's rate limiter) is in ``bot.telegram_bot.sending``.
"""

from __future__ import annotations

import asyncio
import logging
import re
import signal
from functools import partial
from urllib.parse import urlsplit

from telegram import BotCommandScopeAllGroupChats, Message, MessageEntity, Update
from telegram.constants import ParseMode
from telegram.error import InvalidToken, NetworkError, TelegramError
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    Defaults,
    InlineQueryHandler,
    MessageHandler,
    filters,
)

from bot.answer.examples import example_questions
from bot.answered import AnsweredStore
from bot.backends import open_library
from bot.chats import Chats, ChatStore
from bot.corpus.fetch import AddressPolicy
from bot.corpus.reader import LINK_IN_TEXT
from bot.database import connect
from bot.errors import BotError, ConfigError
from bot.logging_setup import configure_logging
from bot.pending import Pending
from bot.search.backend import SearchBackend
from bot.settings import Settings, as_webhook_url
from bot.telegram_bot import handlers as h
from bot.telegram_bot.commands import COMMANDS, group_menu, help_lines, menu
from bot.telegram_bot.context import CONTEXT_TYPES
from bot.telegram_bot.flood import FloodLimiter, Verdict
from bot.telegram_bot.health import Health, PollingRequest, quiet_poll_errors
from bot.telegram_bot.sending import RATE_LIMIT_RETRIES, RETRY_BACKOFF, SEND_RETRIES, RetryingLimiter
from bot.telegram_bot.stats import QuestionStats
from bot.telegram_bot.texts import CHOICE_PREFIX, MORE_PREFIX
from bot.telegram_bot.webhook import serve_webhook

__all__ = ["ALLOWED_UPDATES", "build_app", "run"]

logger = logging.getLogger(__name__)

ALLOWED_UPDATES = [
    Update.MESSAGE,
    Update.EDITED_MESSAGE,
    Update.INLINE_QUERY,
    Update.CALLBACK_QUERY,
    Update.MY_CHAT_MEMBER,
]
"""All the bot reacts to (the one list polling and the webhook ask for); Telegram then does not even send
channel posts or other members' changes. edited_message: an edited question is answered again;
my_chat_member: the bot added to a group (a greeting)."""
CONCURRENT_UPDATES = 32
"""Updates handled at once. Answering takes milliseconds, so this only has to cover network round trips:
32 in flight keep up with Telegram's 30 messages/s at up to a second per send. (PTB's 256 costs more CPU
than it buys: httpcore's pool bookkeeping grows with connections x waiting requests.)"""
CONNECTION_POOL = CONCURRENT_UPDATES
"""One connection per concurrent update, so no send waits for a connection (and hits PTB's 1 s pool timeout)."""
WEBHOOK_SECRET_PATTERN = re.compile(r"[A-Za-z0-9_-]{1,256}")
"""What Telegram accepts as ``secret_token`` in setWebhook."""


# ---------------------------------------------------------------- routing


class AddressedToMe(filters.MessageFilter):
    """A message that mentions this bot (@username) or replies to one of its messages.

    The bot's id and username come from getMe at start-up, so one filter works
    for any token. With privacy mode on, Telegram delivers exactly these (and
    commands) in groups.
    """

    def filter(self, message: Message) -> bool:
        bot = message.get_bot()
        replied = message.reply_to_message
        if replied and replied.from_user and replied.from_user.id == bot.id:
            return True
        me = f"@{bot.username}".lower()
        mentions = [*message.parse_entities([MessageEntity.MENTION]).values()]
        mentions += message.parse_caption_entities([MessageEntity.MENTION]).values()
        return any(text.lower() == me for text in mentions)


class ViaMe(filters.MessageFilter):
    """A message someone posted through this bot's inline mode (``via_bot``): my own quote, not a question."""

    def filter(self, message: Message) -> bool:
        return message.via_bot is not None and message.via_bot.id == message.get_bot().id


def file_url(base_url: str) -> str:
    """The file-download base matching a Bot API base: ``https://host/bot`` -> ``https://host/file/bot``."""
    head, sep, tail = base_url.rpartition("/bot")
    return f"{head}/file/bot" if sep and not tail else base_url


# ---------------------------------------------------------------- the application


def build_app(settings: Settings, library: SearchBackend) -> Application:
    """The configured Application with its handlers; nothing is sent until it is initialized."""
    mode = "webhook" if settings.webhook_url else "polling"
    limiter = AIORateLimiter(max_retries=RATE_LIMIT_RETRIES) if settings.rate_limiter else None
    retrying = RetryingLimiter(limiter, retries=SEND_RETRIES, backoff=RETRY_BACKOFF)
    health = Health()
    builder = (
        ApplicationBuilder()
        .token(settings.require_token())
        .base_url(settings.api_base_url)
        .base_file_url(file_url(settings.api_base_url))
        .defaults(Defaults(parse_mode=ParseMode.HTML, allow_sending_without_reply=True))
        .concurrent_updates(CONCURRENT_UPDATES)
        .connection_pool_size(CONNECTION_POOL)
        .read_timeout(settings.send_timeout)
        .rate_limiter(retrying)
        .context_types(CONTEXT_TYPES)
        .post_init(partial(announce, mode=mode))
        .post_shutdown(close_database)
    )
    if settings.webhook_url:  # bot.telegram_bot.webhook serves the updates
        builder = builder.updater(None)
    else:  # getUpdates reports outages and a revoked token to ``health``
        builder = builder.get_updates_request(PollingRequest(health, connection_pool_size=1))
    app = builder.build()
    data = app.bot_data
    data.health = health
    data.stats = QuestionStats()
    data.admin_ids = frozenset(settings.admin_ids)
    data.library = library
    data.examples = tuple(example_questions(library))
    data.flood = FloodLimiter(settings.flood_limit, settings.flood_window)
    data.top_k = settings.top_k
    data.help_lines = help_lines()
    reads = FloodLimiter(settings.read_limit, settings.read_window)
    database = connect(settings.database_url)
    data.pending = Pending()
    data.answered = AnsweredStore(database)
    data.chats = Chats(
        ChatStore(database),
        library,
        top_k=settings.top_k,
        policy=AddressPolicy(allow_private=settings.fetch_allow_private),
        quota=partial(read_quota, reads),
    )

    mine = ViaMe(name="ViaMe")
    new, edit = filters.UpdateType.MESSAGE & ~mine, filters.UpdateType.EDITED_MESSAGE & ~mine
    private, groups = filters.ChatType.PRIVATE, filters.ChatType.GROUPS
    text = filters.TEXT & ~filters.COMMAND
    captioned = filters.CAPTION & ~filters.Document.ALL  # a photo or video whose caption is the question
    link = filters.Regex(LINK_IN_TEXT) | filters.Entity(MessageEntity.TEXT_LINK)
    app.add_handlers(
        [
            *(CommandHandler(c.name, c.handler, filters=new) for c in COMMANDS),
            MessageHandler(new & private & text & link, h.private_link),
            MessageHandler(new & private & text, h.question),
            MessageHandler(new & private & captioned, h.question),
            MessageHandler(new & private & filters.Document.ALL, h.document),
            MessageHandler(new & groups & (text | captioned) & AddressedToMe(name="AddressedToMe"), h.question),
            MessageHandler(new & private & filters.COMMAND, h.unknown_command),
            MessageHandler(new & private & ~filters.TEXT & ~filters.StatusUpdate.ALL, h.non_text),
            MessageHandler(edit & (filters.TEXT | filters.CAPTION), h.edited_question),
            InlineQueryHandler(h.inline_query),
            ChatMemberHandler(h.added_to_group, ChatMemberHandler.MY_CHAT_MEMBER),
            CallbackQueryHandler(h.pick_article, pattern=f"^{CHOICE_PREFIX}"),
            CallbackQueryHandler(h.more_quotes, pattern=f"^{MORE_PREFIX}"),
            CallbackQueryHandler(h.stale_button),
        ]
    )  # anything else (channel posts, joins, group chatter, edits of what I never answered) is ignored
    app.add_error_handler(h.on_error)
    return app


def read_quota(reads: FloodLimiter, user: int) -> float:
    """``bot.chats.ReadQuota`` from the flood limiter: 0 when this read may go ahead, else seconds to wait."""
    return 0.0 if reads.check(user) is Verdict.ALLOW else max(1.0, reads.retry_in(user))


async def close_database(app: Application) -> None:
    """post_shutdown: close the chats' database (everything is committed as it happens)."""
    app.bot_data.chats.store.db.close()


async def announce(app: Application, mode: str) -> None:
    """post_init: register the command menus (private, groups) and log one line saying the bot is up."""
    try:
        await app.bot.set_my_commands(menu())
        await app.bot.set_my_commands(group_menu(), scope=BotCommandScopeAllGroupChats())
    except TelegramError as exc:  # the menu is a nicety; answering works without it
        logger.warning("Could not register the command menu: %s", type(exc).__name__)
    library = app.bot_data.library
    logger.info(
        "@%s is running (%s): %d article%s, %d sentences loaded",
        app.bot.username,
        mode,
        len(library.articles),
        "" if len(library.articles) == 1 else "s",
        len(library),
    )


def webhook_path(settings: Settings) -> str:
    """The URL path to serve the webhook on (taken from WEBHOOK_URL); ConfigError when the secret is unusable."""
    if not settings.webhook_secret:
        raise ConfigError(
            "WEBHOOK_URL is set but WEBHOOK_SECRET is not; set it (see .env.example) so forged updates are refused"
        )
    if not WEBHOOK_SECRET_PATTERN.fullmatch(settings.webhook_secret):
        raise ConfigError("WEBHOOK_SECRET must be 1-256 characters of A-Z, a-z, 0-9, _ and -")
    url = as_webhook_url("WEBHOOK_URL", settings.webhook_url or "")  # Settings built in code skip the parsers
    return urlsplit(url).path.strip("/")


def _log_in(app: Application, settings: Settings) -> asyncio.AbstractEventLoop:
    """getMe once on the loop the bot will run on (returned), so a bad token is one clear line.

    (Inside PTB's run loop the same failure is logged as a traceback first.)
    """
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    try:
        loop.run_until_complete(app.initialize())
    except InvalidToken:
        raise ConfigError(
            "Telegram rejected TELEGRAM_BOT_TOKEN; check the token @BotFather gave you (see .env.example)"
        ) from None
    except NetworkError as exc:
        raise BotError(
            f"cannot reach the Telegram Bot API at {settings.api_base_url} ({type(exc).__name__}); "
            "check the network or TELEGRAM_API_BASE_URL"
        ) from None
    return loop


async def serve_polling(app: Application, stop: asyncio.Event) -> None:
    """Long-poll Telegram and handle updates until ``stop`` is set; then stop the application.

    ``run_polling`` without its event-loop ownership, so that a failed poll goes to
    ``quiet_poll_errors`` (``Health`` logs an outage once) instead of PTB's traceback per poll.
    """
    assert app.updater is not None
    if app.post_init:
        await app.post_init(app)
    await app.updater.start_polling(allowed_updates=ALLOWED_UPDATES, error_callback=quiet_poll_errors)
    try:
        await app.start()
        await stop.wait()
    finally:
        await app.updater.stop()
        if app.running:
            await app.stop()


def run(settings: Settings) -> None:
    """Run the bot until Ctrl-C (SIGINT) or SIGTERM: webhook mode when WEBHOOK_URL is set, else long polling.

    Returns normally after a signal; raises ConfigError (exit code 2, one line) when the bot cannot start,
    or when Telegram stops accepting the token while it runs, so a supervisor restarts it or alerts.
    """
    configure_logging(settings.log_level, secrets=(settings.token, settings.webhook_secret))
    path = webhook_path(settings) if settings.webhook_url else None
    library = open_library(settings, workers=settings.load_workers)
    for problem in library.problems:
        logger.warning("%s", problem.capitalize())
    app = build_app(settings, library)
    loop = _log_in(app, settings)
    stop, health = asyncio.Event(), app.bot_data.health
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    health.stop = stop.set
    serve = serve_polling(app, stop) if path is None else serve_webhook(app, settings, path, ALLOWED_UPDATES, stop)
    try:
        loop.run_until_complete(serve)
    finally:
        loop.run_until_complete(app.shutdown())
        if app.post_shutdown:
            loop.run_until_complete(app.post_shutdown(app))
        loop.close()
    if health.revoked:
        raise ConfigError(
            "Telegram stopped accepting TELEGRAM_BOT_TOKEN while the bot ran (401 Unauthorized): it was revoked "
            "or regenerated; put the current token from @BotFather in .env and start the bot again"
        )
