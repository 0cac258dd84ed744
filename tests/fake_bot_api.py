"""A fake Telegram Bot API server on 127.0.0.1, for running the real bot over real HTTP.

It speaks the Bot API's wire format (``POST /bot<token>/<method>``, form or
JSON parameters, ``{"ok": true, "result": ...}`` answers), so the real
python-telegram-bot ``Application`` talks to it exactly as it would to
Telegram. Tests and the benchmark use it; it imports nothing from ``bot``.

API::

    api = FakeBotApi(token="123456:TEST-TOKEN", username="QuoteBot")
    await api.start()                      # binds a free port
    api.url                                # "http://127.0.0.1:<port>/bot": PTB's base_url
    api.queue_update(private_message(42, "Who is Putin?"))   # served by getUpdates; returns update_id
    calls = await api.wait_for("sendMessage", count=1, timeout=5)  # delivered calls so far
    api.calls                              # every request: Call(method, params, fault, at)
    api.sent("sendMessage")                # params of delivered sendMessage calls
    api.count("sendMessage")               # how many were delivered (O(1))
    api.fail("sendMessage", retry_after(1), server_error(500), drop(), delay(0.8))  # next 4 calls
    api.reject_token = True                # every method answers 401 Unauthorized
    api.revoke_token()                     # the same while running: pending long polls end first
    api.block(42)                          # chat 42 answers 403 "bot was blocked by the user" (see CANNOT_WRITE)
    api.queue_update(my_chat_member(-100, 7))  # user 7 added the bot to group -100 (builder below)
    api.scoped_commands["all_group_chats"]     # a menu set with a scope (``api.commands``: the default one)
    await api.stop()

Served methods: getMe, getUpdates (long polling: waits up to ``timeout``
seconds for an update to be queued), sendMessage, editMessageText, editMessageReplyMarkup,
sendChatAction, answerCallbackQuery (once per query, as Telegram allows), answerInlineQuery, getFile,
setMyCommands, getMyCommands, deleteMyCommands, setWebhook, deleteWebhook,
getWebhookInfo, close, logOut. Others answer 404 like Telegram does for an
unknown method. Files: ``file_id = api.add_file(data)`` makes a document
the bot can ``getFile`` and then download from ``/file/bot<token>/<path>``
(recorded as a ``downloadFile`` call); ``api.text_of(chat_id, message_id)``
is a sent message's text after any edits (``api.markup_of`` its buttons), ``api.last_message(chat_id)`` the
last one sent there (to press its buttons with ``callback_query``).

Telegram's own checks: sendMessage and editMessageText parse ``parse_mode=HTML`` text as
Telegram does (only its tags, balanced, only its entities; otherwise 400 "can't parse
entities") and refuse a text over 4,096 characters once parsed (400 "message is too
long"); sent messages keep ``message_thread_id`` and ``reply_markup`` as Telegram returns
them. getUpdates honours ``allowed_updates`` (Telegram's default leaves out
chat_member and reactions); ``api.allowed_updates`` is the last list the bot asked for.

Faults are queued per method and used by that method's next calls, one each:
``retry_after(s)`` is a 429 with ``parameters.retry_after``; ``server_error(c)``
a 5xx (or any status, with a description); ``drop()`` closes the connection without answering; ``delay(s)``
answers normally after ``s`` seconds. A call answered with a fault is
recorded with ``fault`` set and is *not* delivered (no message is "sent"),
except for ``delay``, which is delivered late: even when the client has given up
waiting (a ``delay`` past its read timeout is Telegram accepting a message whose
answer never arrived). So "exactly one answer" means
``count("sendMessage") == questions`` whatever the faults.

Driving the real bot against it (what ``tests.conftest.running`` does)::

    settings = Settings(token=api.token, api_base_url=api.url, rate_limiter=False, flood_limit=10_000)
    async with running(settings, Library.load("corpus")) as app:   # from tests.conftest
        for chat in range(1, 101):
            api.queue_update(private_message(chat, "Who is Putin?"))
        await api.wait_for("sendMessage", count=100, timeout=30)

For a benchmark, switch the rate limiter off (it paces sends to Telegram's
30 messages/s) and raise ``flood_limit`` (20 questions per user per minute
by default), or both will be what you measure.

Update builders (``private_message``, ``group_message``, ``command``,
``mention``, ``reply_to``, ``inline_query``, ``edited``, ``channel_post``,
``sticker``, ``new_chat_members``, ``document``, ``callback_query``, ``photo``, ``topic_message``,
``via_bot``) return dicts shaped like the Bot API
docs' ``Update`` objects; pass them to ``queue_update``.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import time
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from html.parser import HTMLParser
from typing import Any

from aiohttp import web

__all__ = [
    "BOT_ID",
    "BOT_USERNAME",
    "Call",
    "FakeBotApi",
    "Fault",
    "callback_query",
    "channel_post",
    "command",
    "delay",
    "document",
    "drop",
    "edited",
    "group_message",
    "inline_query",
    "mention",
    "my_chat_member",
    "new_chat_members",
    "parsed_text",
    "photo",
    "private_chat",
    "private_message",
    "reply_to",
    "retry_after",
    "server_error",
    "sticker",
    "topic_message",
    "user",
    "via_bot",
]

BOT_ID = 7_000_000_001
BOT_USERNAME = "QuoteBot"
TEXT_PARAMS = frozenset(
    {
        "text",
        "caption",
        "parse_mode",
        "action",
        "inline_query_id",
        "secret_token",
        "url",
        "description",
        "language_code",
        "next_offset",
        "ip_address",
        "callback_query_id",
        "file_id",
        "data",
    }
)
"""Parameters kept as strings; every other form value is JSON-decoded when it parses (PTB sends JSON values)."""
CANNOT_WRITE = {
    "blocked": (403, "Forbidden: bot was blocked by the user"),
    "kicked": (403, "Forbidden: bot was kicked from the supergroup chat"),
    "muted": (400, "Bad Request: not enough rights to send text messages to the chat"),
}
"""How Telegram refuses a send into a chat the bot may not write to (``FakeBotApi.block``)."""
SENDING_METHODS = frozenset({"sendMessage", "editMessageText", "sendChatAction", "sendPhoto", "sendDocument"})
DEFAULT_LEFT_OUT = frozenset({"chat_member", "message_reaction", "message_reaction_count"})
"""Update types Telegram sends only when ``allowed_updates`` names them."""
MAX_TEXT_LENGTH = 4096
HTML_TAGS = frozenset(
    {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a", "code", "pre", "blockquote", "tg-spoiler"}
    | {"span", "tg-emoji"}
)
"""The tags Telegram's HTML parse mode knows (https://core.telegram.org/bots/api#html-style)."""
HTML_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}


# ---------------------------------------------------------------- faults


@dataclass(frozen=True, slots=True)
class Fault:
    """One injected failure (or slowness) for one call."""

    kind: str  # "retry_after" | "status" | "drop" | "delay"
    seconds: float = 0.0
    status: int = 500
    description: str = "Internal Server Error"


def retry_after(seconds: int) -> Fault:
    """429 Too Many Requests with ``parameters.retry_after`` (whole seconds, as Telegram sends)."""
    return Fault("retry_after", seconds=seconds, status=429)


def server_error(status: int = 500, description: str = "Internal Server Error") -> Fault:
    """An error answer with Telegram's shape: a 5xx, or e.g. ``server_error(400, "Bad Request: ...")``."""
    return Fault("status", status=status, description=description)


def drop() -> Fault:
    """Close the connection after reading the request, without answering."""
    return Fault("drop")


def delay(seconds: float) -> Fault:
    """Answer normally, but only after ``seconds``."""
    return Fault("delay", seconds=seconds)


@dataclass(frozen=True, slots=True)
class Call:
    """One request the server received."""

    method: str
    params: dict[str, Any]
    fault: str | None = None
    at: float = field(default_factory=time.monotonic)

    @property
    def delivered(self) -> bool:
        return self.fault in (None, "delay")


# ---------------------------------------------------------------- server


class FakeBotApi:
    """The fake server; see the module docstring for the API."""

    def __init__(self, token: str = "123456:TEST-TOKEN", username: str = BOT_USERNAME, bot_id: int = BOT_ID) -> None:
        self.token = token
        self.me = {
            "id": bot_id,
            "is_bot": True,
            "first_name": "Quote Bot",
            "username": username,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": True,
        }
        self.reject_token = False
        self.unwritable: dict[int, tuple[int, str]] = {}
        """chat id -> (status, description) every send to that chat is refused with (``block``)."""
        self.calls: list[Call] = []
        self.webhook: dict[str, Any] = {}
        self.owners: set[tuple[int, int]] = set()
        """(chat id, user id) of group owners, for getChatMember; everyone else is a plain member."""
        self.commands: list[dict[str, Any]] = []
        self.scoped_commands: dict[str, list[dict[str, Any]]] = {}
        """Menus set for a scope other than the default, by scope type (``all_group_chats``, ...)."""
        self.allowed_updates: list[str] | None = None
        """The update types the bot last asked for (getUpdates or setWebhook); None: Telegram's default."""
        self._updates: deque[dict[str, Any]] = deque()
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(1000)
        self._chats: dict[int, dict[str, Any]] = {}
        self._texts: dict[tuple[int, int], str] = {}
        self._messages: dict[int, dict[str, Any]] = {}
        self._markups: dict[tuple[int, int], dict[str, Any] | None] = {}
        self._answered_queries: set[str] = set()
        self.files: dict[str, bytes] = {}
        self._faults: dict[str, deque[Fault]] = {}
        self._counts: Counter[str] = Counter()
        self._changed = asyncio.Condition()
        self._new_update = asyncio.Event()
        self._runner: web.AppRunner | None = None
        self.port = 0

    # -- life cycle

    async def start(self) -> FakeBotApi:
        app = web.Application()
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        app.router.add_route("GET", "/file/bot{token}/{path:.+}", self._download)
        self._runner = web.AppRunner(app, access_log=None, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = self._runner.addresses[0][1]
        return self

    async def stop(self) -> None:
        if self._runner is not None:
            self._new_update.set()  # let pending long polls return
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeBotApi:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    @property
    def url(self) -> str:
        """The base URL PTB appends the token to (``ApplicationBuilder().base_url(...)``)."""
        return f"http://127.0.0.1:{self.port}/bot"

    # -- driving it

    def queue_update(self, update: dict[str, Any]) -> int:
        """Queue an update for getUpdates; an ``update_id`` is assigned unless given. Returns it."""
        update = dict(update)
        update.setdefault("update_id", next(self._update_ids))
        for key in ("message", "edited_message", "channel_post"):
            if chat := update.get(key, {}).get("chat"):
                self._chats[chat["id"]] = chat
        self._updates.append(update)
        self._new_update.set()
        return int(update["update_id"])

    def fail(self, method: str, *faults: Fault) -> None:
        """Make the next ``len(faults)`` calls of ``method`` fail (or lag) in this order."""
        self._faults.setdefault(method, deque()).extend(faults)

    def count(self, method: str) -> int:
        """Delivered calls of ``method`` so far."""
        return self._counts[method]

    def sent(self, method: str = "sendMessage") -> list[dict[str, Any]]:
        """Parameters of every delivered call of ``method``, oldest first."""
        return [c.params for c in self.calls if c.method == method and c.delivered]

    def add_file(self, data: bytes) -> str:
        """Keep ``data`` as a file the bot can getFile and download; returns its ``file_id``."""
        file_id = f"BQACAgIAAxkBAAI{len(self.files):04d}"
        self.files[file_id] = data
        return file_id

    def text_of(self, chat_id: int, message_id: int) -> str | None:
        """A message the bot sent, as it reads now (after editMessageText); None if there is none."""
        return self._texts.get((chat_id, message_id))

    def markup_of(self, chat_id: int, message_id: int) -> dict[str, Any] | None:
        """A sent message's inline keyboard as it is now (after editMessageText or editMessageReplyMarkup)."""
        return self._markups.get((chat_id, message_id))

    def last_message(self, chat_id: int) -> dict[str, Any]:
        """The last message the bot sent to ``chat_id`` as Telegram returned it (for ``callback_query``)."""
        return self._messages[chat_id]

    def pending_updates(self) -> int:
        """Updates queued but not yet confirmed by a later getUpdates offset."""
        return len(self._updates)

    async def wait_until(self, predicate: Callable[[], bool], timeout: float = 5.0) -> None:
        """Wait until ``predicate()`` holds, re-checked on every call the server receives."""
        async with self._changed:
            await asyncio.wait_for(self._changed.wait_for(predicate), timeout)

    async def wait_for_chat(self, chat_id: int, method: str = "sendMessage", timeout: float = 5.0) -> Call:
        """Wait until a ``method`` call to ``chat_id`` was delivered; returns the first (TimeoutError otherwise)."""

        def found() -> Call | None:
            return next(
                (c for c in self.calls if c.method == method and c.delivered and c.params.get("chat_id") == chat_id),
                None,
            )

        async with self._changed:
            await asyncio.wait_for(self._changed.wait_for(lambda: found() is not None), timeout)
        call = found()
        assert call is not None
        return call

    async def wait_for(self, method: str, count: int = 1, timeout: float = 5.0) -> list[Call]:
        """Wait until ``count`` calls of ``method`` were delivered; returns them (TimeoutError otherwise)."""
        async with self._changed:
            await asyncio.wait_for(self._changed.wait_for(lambda: self._counts[method] >= count), timeout)
        return [c for c in self.calls if c.method == method and c.delivered]

    # -- HTTP

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        method = request.match_info["method"]
        params = await _params(request)
        if self.reject_token or request.match_info["token"] != self.token:
            self.calls.append(Call(method, params, fault="unauthorized"))
            async with self._changed:
                self._changed.notify_all()
            return _error(401, "Unauthorized")
        if refusal := self._refusal(method, params):
            self.calls.append(Call(method, params, fault="refused"))
            async with self._changed:
                self._changed.notify_all()
            return _error(*refusal)
        queue = self._faults.get(method)
        fault = queue.popleft() if queue else None
        position = len(self.calls)
        self.calls.append(call := Call(method, params, fault=fault.kind if fault else None))
        async with self._changed:
            self._changed.notify_all()  # wakes wait_until() on every call, failed ones too
        if fault is not None:
            if fault.kind == "drop":
                assert request.transport is not None
                request.transport.close()
                return web.Response()  # never reaches the client: the connection is gone
            if fault.kind == "retry_after":
                return _error(
                    429, f"Too Many Requests: retry after {int(fault.seconds)}", {"retry_after": int(fault.seconds)}
                )
            if fault.kind == "status":
                return _error(fault.status, fault.description)
            await asyncio.sleep(fault.seconds)
        handler = getattr(self, f"_api_{method}", None)
        if handler is None:
            return _error(404, "Not Found: method not found")
        try:
            result = await handler(params)
        except _Refused as refused:  # an error Telegram itself would give: recorded, not delivered
            self.calls[position] = replace(call, fault="refused")
            return _error(refused.status, refused.description)
        if call.delivered:
            async with self._changed:
                self._counts[method] += 1
                self._changed.notify_all()
        return web.json_response({"ok": True, "result": result})

    # -- what Telegram refuses: a revoked token, chats the bot may not write to, plain-http webhooks

    def revoke_token(self) -> None:
        """As when the owner revokes the token in @BotFather: pending long polls end, every later call gets 401."""
        self.reject_token = True
        self._new_update.set()

    def block(self, chat_id: int, kind: str = "blocked") -> None:
        """Refuse every send to ``chat_id`` as Telegram does: ``kind`` is a key of ``CANNOT_WRITE``."""
        self.unwritable[chat_id] = CANNOT_WRITE[kind]

    def _refusal(self, method: str, params: dict[str, Any]) -> tuple[int, str] | None:
        """(status, description) when Telegram would refuse this call before doing anything, else None."""
        if method in SENDING_METHODS and "chat_id" in params:
            with contextlib.suppress(ValueError):
                if refused := self.unwritable.get(int(params["chat_id"])):
                    return refused
        if method == "setWebhook" and params.get("url") and not str(params["url"]).startswith("https://"):
            return 400, "Bad Request: bad webhook: An HTTPS URL must be provided for webhook"
        return None

    # -- methods (named after the Bot API)

    async def _api_getMe(self, params: dict[str, Any]) -> dict[str, Any]:
        return self.me

    async def _api_getUpdates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        offset = int(params.get("offset") or 0)
        limit = int(params.get("limit") or 100)
        timeout = float(params.get("timeout") or 0)
        self._remember_allowed(params)
        while self._updates and self._updates[0]["update_id"] < offset:
            self._updates.popleft()  # confirmed by the offset, as Telegram forgets them
        self._updates = deque(u for u in self._updates if self._wanted(u))  # never delivered: dropped
        if not self._updates and timeout > 0:
            self._new_update.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._new_update.wait(), timeout)
        return [u for u in itertools.islice(self._updates, limit) if u["update_id"] >= offset and self._wanted(u)]

    async def _api_sendMessage(self, params: dict[str, Any]) -> dict[str, Any]:
        _check_text(params)
        chat_id = int(params["chat_id"])
        chat = self._chats.get(chat_id) or {"id": chat_id, "type": "private" if chat_id > 0 else "supergroup"}
        message: dict[str, Any] = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": chat,
            "from": self.me,
            "text": params.get("text", ""),
        }
        if isinstance(reply := params.get("reply_parameters"), dict):
            message["reply_to_message"] = {"message_id": reply["message_id"], "date": int(time.time()), "chat": chat}
        _keep_extras(message, params)
        self._markups[(chat_id, message["message_id"])] = message.get("reply_markup")
        self._texts[(chat_id, message["message_id"])] = message["text"]
        self._messages[chat_id] = message
        return message

    async def _api_editMessageText(self, params: dict[str, Any]) -> dict[str, Any] | web.Response:
        chat_id, message_id = int(params["chat_id"]), int(params["message_id"])
        if (chat_id, message_id) not in self._texts:
            raise _Refused(400, "Bad Request: message to edit not found")
        _check_text(params)
        if self._texts[(chat_id, message_id)] == params.get("text"):
            raise _Refused(400, "Bad Request: message is not modified")
        self._texts[(chat_id, message_id)] = params.get("text", "")
        chat = self._chats.get(chat_id) or {"id": chat_id, "type": "private" if chat_id > 0 else "supergroup"}
        message = {
            "message_id": message_id,
            "date": int(time.time()),
            "edit_date": int(time.time()),
            "chat": chat,
            "from": self.me,
            "text": params.get("text", ""),
        }
        _keep_extras(message, params)
        self._markups[(chat_id, message_id)] = message.get("reply_markup")  # no reply_markup: the keyboard goes
        return message

    async def _api_getChatMember(self, params: dict[str, Any]) -> dict[str, Any]:
        chat_id, user_id = int(params["chat_id"]), int(params["user_id"])
        member = {"id": user_id, "is_bot": False, "first_name": f"User {user_id}"}
        if (chat_id, user_id) in self.owners:
            return {"status": "creator", "user": member, "is_anonymous": False}
        return {"status": "member", "user": member}

    async def _api_answerCallbackQuery(self, params: dict[str, Any]) -> bool:
        """Telegram takes one answer per query, with at most 200 characters of text."""
        query_id = str(params.get("callback_query_id", ""))
        if query_id in self._answered_queries:
            raise _Refused(400, "Bad Request: query is too old and response timeout expired or query ID is invalid")
        if len(str(params.get("text") or "")) > 200:
            raise _Refused(400, "Bad Request: MESSAGE_TOO_LONG")
        self._answered_queries.add(query_id)
        return True

    async def _api_editMessageReplyMarkup(self, params: dict[str, Any]) -> dict[str, Any]:
        chat_id, message_id = int(params["chat_id"]), int(params["message_id"])
        if (chat_id, message_id) not in self._texts:
            raise _Refused(400, "Bad Request: message to edit not found")
        markup = params.get("reply_markup") if isinstance(params.get("reply_markup"), dict) else None
        if self._markups.get((chat_id, message_id)) == markup:
            raise _Refused(400, "Bad Request: message is not modified")
        self._markups[(chat_id, message_id)] = markup
        chat = self._chats.get(chat_id) or {"id": chat_id, "type": "private" if chat_id > 0 else "supergroup"}
        message = {"message_id": message_id, "date": int(time.time()), "chat": chat, "from": self.me}
        message.update({"text": self._texts[(chat_id, message_id)], "edit_date": int(time.time())})
        return {**message, **({"reply_markup": markup} if markup else {})}

    async def _api_getFile(self, params: dict[str, Any]) -> dict[str, Any]:
        file_id = str(params["file_id"])
        if file_id not in self.files:
            raise _Refused(400, "Bad Request: invalid file_id")
        return {
            "file_id": file_id,
            "file_unique_id": f"u{file_id}",
            "file_size": len(self.files[file_id]),
            "file_path": f"documents/{file_id}.bin",
        }

    async def _download(self, request: web.Request) -> web.Response:
        path = request.match_info["path"]
        if request.match_info["token"] != self.token:
            self.calls.append(Call("downloadFile", {"file_path": path}, fault="unauthorized"))
            return web.Response(status=401)
        file_id = path.removeprefix("documents/").removesuffix(".bin")
        self.calls.append(Call("downloadFile", {"file_path": path}))
        if file_id not in self.files:
            return web.Response(status=404)
        async with self._changed:
            self._counts["downloadFile"] += 1
            self._changed.notify_all()
        return web.Response(body=self.files[file_id], content_type="application/octet-stream")

    async def _api_sendChatAction(self, params: dict[str, Any]) -> bool:
        return True

    async def _api_answerInlineQuery(self, params: dict[str, Any]) -> bool:
        return True

    async def _api_setMyCommands(self, params: dict[str, Any]) -> bool:
        self._set_commands(params, list(params.get("commands") or []))
        return True

    async def _api_getMyCommands(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        scope = _scope(params)
        return self.commands if scope == "default" else self.scoped_commands.get(scope, [])

    async def _api_deleteMyCommands(self, params: dict[str, Any]) -> bool:
        self._set_commands(params, [])
        return True

    def _set_commands(self, params: dict[str, Any], commands: list[dict[str, Any]]) -> None:
        """The default menu is ``commands``; a scoped one (``all_group_chats`` ...) is ``scoped_commands[type]``."""
        scope = _scope(params)
        if scope == "default":
            self.commands = commands
        else:
            self.scoped_commands[scope] = commands

    async def _api_setWebhook(self, params: dict[str, Any]) -> bool:
        self.webhook = params
        self._remember_allowed(params)
        return True

    async def _api_deleteWebhook(self, params: dict[str, Any]) -> bool:
        self.webhook = {}
        return True

    async def _api_getWebhookInfo(self, params: dict[str, Any]) -> dict[str, Any]:
        return {
            "url": self.webhook.get("url", ""),
            "has_custom_certificate": False,
            "pending_update_count": len(self._updates),
        }

    # -- update types (allowed_updates), as Telegram filters them

    def _remember_allowed(self, params: dict[str, Any]) -> None:
        """Telegram keeps the last ``allowed_updates`` given; an absent one leaves it as it was."""
        allowed = params.get("allowed_updates")
        if isinstance(allowed, list):
            self.allowed_updates = [str(kind) for kind in allowed] or None

    def _wanted(self, update: dict[str, Any]) -> bool:
        """Would Telegram deliver this update to a bot that asked for ``allowed_updates``?"""
        kinds = set(update) - {"update_id"}
        if self.allowed_updates is None:
            return not kinds & DEFAULT_LEFT_OUT
        return bool(kinds & set(self.allowed_updates))

    async def _api_close(self, params: dict[str, Any]) -> bool:
        return True

    async def _api_logOut(self, params: dict[str, Any]) -> bool:
        return True


async def _params(request: web.Request) -> dict[str, Any]:
    """Query string, then a JSON or form body; form values are JSON-decoded as PTB encodes them."""
    params: dict[str, Any] = dict(request.query)
    if request.can_read_body:
        if request.content_type == "application/json":
            params.update(await request.json())
        else:
            params.update((await request.post()).items())
    return {k: _decode(k, v) for k, v in params.items()}


def _decode(key: str, value: Any) -> Any:
    if not isinstance(value, str) or key in TEXT_PARAMS:
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value


def _scope(params: dict[str, Any]) -> str:
    """The ``BotCommandScope`` type of a setMyCommands-style call (``default`` when none is given)."""
    scope = params.get("scope")
    return str(scope.get("type", "default")) if isinstance(scope, dict) else "default"


class _Refused(Exception):
    """Raised by a method to answer as Telegram does for a bad request (``{"ok": false, ...}``)."""

    def __init__(self, status: int, description: str) -> None:
        super().__init__(description)
        self.status = status
        self.description = description


def _error(status: int, description: str, parameters: dict[str, Any] | None = None) -> web.Response:
    body: dict[str, Any] = {"ok": False, "error_code": status, "description": description}
    if parameters:
        body["parameters"] = parameters
    return web.json_response(body, status=status)


# ---------------------------------------------------------------- Telegram's text checks


class _EntityParser(HTMLParser):
    """Telegram's HTML parse mode: its tags only, properly nested, its four named entities; collects the text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.open: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in HTML_TAGS:
            raise _Refused(400, f'Bad Request: can\'t parse entities: Unsupported start tag "{tag}"')
        self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.open or self.open.pop() != tag:
            raise _Refused(400, f'Bad Request: can\'t parse entities: Unmatched end tag "{tag}"')

    def handle_data(self, data: str) -> None:
        if "&" in data or "<" in data or ">" in data:  # what HTMLParser lets through as text, Telegram does not
            raise _Refused(400, "Bad Request: can't parse entities: Unescaped character in text")
        self.text.append(data)

    def handle_entityref(self, name: str) -> None:
        if name not in HTML_ENTITIES:
            raise _Refused(400, f'Bad Request: can\'t parse entities: Unsupported entity "&{name};"')
        self.text.append(HTML_ENTITIES[name])

    def handle_charref(self, name: str) -> None:
        self.text.append(chr(int(name[1:], 16) if name[:1] in "xX" else int(name)))


def parsed_text(text: str, parse_mode: str | None) -> str:
    """The text Telegram would show for ``text`` in ``parse_mode`` (None: as it is); _Refused if it cannot parse."""
    if (parse_mode or "").upper() != "HTML":
        return text
    parser = _EntityParser()
    parser.feed(text)
    parser.close()
    if parser.open:
        raise _Refused(400, f"Bad Request: can't parse entities: Can't find end tag for <{parser.open[-1]}>")
    if parser.rawdata:  # a "<" or "&" left unparsed at the end
        raise _Refused(400, "Bad Request: can't parse entities: Unexpected end of text")
    return "".join(parser.text)


def _check_text(params: dict[str, Any]) -> None:
    """Refuse a message text as Telegram does: broken entities, empty, or over 4,096 characters once parsed."""
    shown = parsed_text(str(params.get("text", "")), params.get("parse_mode"))
    if not shown.strip():
        raise _Refused(400, "Bad Request: message text is empty")
    if len(shown.encode("utf-16-le")) // 2 > MAX_TEXT_LENGTH:
        raise _Refused(400, "Bad Request: message is too long")


def _keep_extras(message: dict[str, Any], params: dict[str, Any]) -> None:
    """What a sent or edited message carries back from its parameters: the forum topic and the buttons."""
    if params.get("message_thread_id") is not None:
        message["message_thread_id"] = int(params["message_thread_id"])
        message["is_topic_message"] = True
    if isinstance(params.get("reply_markup"), dict):
        message["reply_markup"] = params["reply_markup"]


# ---------------------------------------------------------------- update builders

_message_ids = itertools.count(1)


def user(user_id: int, first_name: str = "Ann") -> dict[str, Any]:
    """A Bot API ``User`` (not a bot)."""
    return {"id": user_id, "is_bot": False, "first_name": first_name, "language_code": "en"}


def _message(
    chat: dict[str, Any],
    text: str | None,
    sender: dict[str, Any] | None,
    entities: list[dict[str, Any]] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    message: dict[str, Any] = {"message_id": next(_message_ids), "date": int(time.time()), "chat": chat, **extra}
    if sender is not None:
        message["from"] = sender
    if text is not None:
        message["text"] = text
        if entities is None and text.startswith("/"):
            entities = command(text)  # Telegram marks a leading /command as a bot_command entity
    if entities:
        message["entities"] = entities
    return message


def private_message(
    user_id: int, text: str, entities: list[dict[str, Any]] | None = None, **extra: Any
) -> dict[str, Any]:
    """``{"message": ...}`` in the private chat with ``user_id`` (``extra``: more Message fields)."""
    sender = user(user_id)
    chat = {"id": user_id, "type": "private", "first_name": sender["first_name"]}
    return {"message": _message(chat, text, sender, entities, **extra)}


def group_message(
    chat_id: int,
    user_id: int,
    text: str,
    entities: list[dict[str, Any]] | None = None,
    chat_type: str = "supergroup",
    **extra: Any,
) -> dict[str, Any]:
    """``{"message": ...}`` in a group or supergroup (negative ``chat_id``)."""
    chat = {"id": chat_id, "type": chat_type, "title": "Newsroom"}
    return {"message": _message(chat, text, user(user_id), entities, **extra)}


def command(text: str) -> list[dict[str, Any]]:
    """The ``bot_command`` entity for text starting with ``/ask`` or ``/ask@Bot`` (added automatically)."""
    return [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]


def mention(text: str, username: str = BOT_USERNAME) -> list[dict[str, Any]]:
    """The ``mention`` entity for ``@username`` inside ``text`` (offsets in UTF-16 units, as Telegram counts)."""
    at = text.index(f"@{username}")
    offset = len(text[:at].encode("utf-16-le")) // 2
    return [{"type": "mention", "offset": offset, "length": len(username) + 1}]


def reply_to(
    update: dict[str, Any],
    message_id: int,
    text: str = "earlier answer",
    bot_id: int = BOT_ID,
    username: str = BOT_USERNAME,
) -> dict[str, Any]:
    """``update`` made a reply to the bot's message ``message_id``."""
    message = dict(update["message"])
    bot = {"id": bot_id, "is_bot": True, "first_name": "Quote Bot", "username": username}
    message["reply_to_message"] = {
        "message_id": message_id,
        "date": int(time.time()),
        "chat": message["chat"],
        "from": bot,
        "text": text,
    }
    return {"message": message}


def inline_query(user_id: int, query: str, query_id: str | None = None) -> dict[str, Any]:
    """``{"inline_query": ...}`` as sent while someone types ``@Bot query``."""
    return {
        "inline_query": {
            "id": query_id or f"iq{next(_message_ids)}",
            "from": user(user_id),
            "query": query,
            "offset": "",
            "chat_type": "private",
        }
    }


def edited(update: dict[str, Any], text: str) -> dict[str, Any]:
    """``update``'s message as an ``edited_message`` with new text."""
    message = {**update["message"], "text": text, "edit_date": int(time.time())}
    return {"edited_message": message}


def channel_post(chat_id: int, text: str) -> dict[str, Any]:
    """``{"channel_post": ...}``: no sender, a channel chat."""
    chat = {"id": chat_id, "type": "channel", "title": "News channel"}
    return {"channel_post": _message(chat, text, None)}


def sticker(user_id: int) -> dict[str, Any]:
    """A private ``message`` carrying a sticker and no text."""
    chat = {"id": user_id, "type": "private", "first_name": "Ann"}
    data = {
        "file_id": "CAACAgIAAxkBAAEB",
        "file_unique_id": "AgADBAADs",
        "type": "regular",
        "width": 512,
        "height": 512,
        "is_animated": False,
        "is_video": False,
        "emoji": "👍",
    }
    return {"message": _message(chat, None, user(user_id), sticker=data)}


def new_chat_members(chat_id: int, user_id: int, joined: list[dict[str, Any]]) -> dict[str, Any]:
    """A service ``message`` saying that ``joined`` users were added to a group."""
    chat = {"id": chat_id, "type": "group", "title": "Newsroom"}
    return {"message": _message(chat, None, user(user_id), new_chat_members=joined)}


ADMIN_RIGHTS = (
    "can_manage_chat",
    "can_delete_messages",
    "can_manage_video_chats",
    "can_restrict_members",
    "can_promote_members",
    "can_change_info",
    "can_invite_users",
    "can_post_stories",
    "can_edit_stories",
    "can_delete_stories",
)
"""The rights a ``ChatMemberAdministrator`` always carries."""


def my_chat_member(
    chat_id: int, user_id: int, old: str = "left", new: str = "member", chat_type: str = "supergroup"
) -> dict[str, Any]:
    """``{"my_chat_member": ...}``: ``user_id`` changed the bot's status in a group (``left`` -> ``member``: added)."""
    bot = {"id": BOT_ID, "is_bot": True, "first_name": "Quote Bot", "username": BOT_USERNAME}
    rights = {"can_be_edited": False, "is_anonymous": False} | dict.fromkeys(ADMIN_RIGHTS, True)
    return {
        "my_chat_member": {
            "chat": {"id": chat_id, "type": chat_type, "title": "Newsroom"},
            "from": user(user_id),
            "date": int(time.time()),
            "old_chat_member": {"status": old, "user": bot, **(rights if old == "administrator" else {})},
            "new_chat_member": {"status": new, "user": bot, **(rights if new == "administrator" else {})},
        }
    }


def document(
    chat: dict[str, Any],
    user_id: int,
    file_id: str,
    file_name: str,
    mime_type: str,
    file_size: int,
    caption: str | None = None,
) -> dict[str, Any]:
    """A ``message`` carrying a document (``file_id`` from ``FakeBotApi.add_file``) in ``chat``."""
    data = {
        "file_id": file_id,
        "file_unique_id": f"u{file_id}",
        "file_name": file_name,
        "mime_type": mime_type,
        "file_size": file_size,
    }
    extra: dict[str, Any] = {"document": data}
    if caption is not None:
        extra["caption"] = caption
    return {"message": _message(chat, None, user(user_id), **extra)}


def private_chat(user_id: int) -> dict[str, Any]:
    """The ``Chat`` of the private chat with ``user_id``."""
    return {"id": user_id, "type": "private", "first_name": "Ann"}


def callback_query(user_id: int, message: dict[str, Any], data: str, query_id: str | None = None) -> dict[str, Any]:
    """``{"callback_query": ...}``: ``user_id`` pressed the inline button ``data`` under the bot's ``message``."""
    return {
        "callback_query": {
            "id": query_id or f"cq{next(_message_ids)}",
            "from": user(user_id),
            "message": message,
            "chat_instance": "ci-1",
            "data": data,
        }
    }


def via_bot(bot_id: int = BOT_ID, username: str = BOT_USERNAME) -> dict[str, Any]:
    """The ``via_bot`` field of a message sent through a bot's inline mode (pass as ``via_bot=via_bot()``)."""
    return {"id": bot_id, "is_bot": True, "first_name": "Quote Bot", "username": username}


def photo(chat: dict[str, Any], user_id: int, caption: str | None = None, **extra: Any) -> dict[str, Any]:
    """A ``message`` carrying a photo (two sizes, as Telegram sends) and an optional caption."""
    sizes = [
        {"file_id": f"AgACAgIAAx{side}", "file_unique_id": f"AQAD{side}", "width": side, "height": side}
        for side in (90, 800)
    ]
    if caption is not None:
        extra["caption"] = caption
    return {"message": _message(chat, None, user(user_id), photo=sizes, **extra)}


def topic_message(chat_id: int, user_id: int, thread_id: int, text: str, **extra: Any) -> dict[str, Any]:
    """``{"message": ...}`` in forum topic ``thread_id`` of a forum supergroup."""
    chat = {"id": chat_id, "type": "supergroup", "title": "Newsroom", "is_forum": True}
    return {"message": _message(chat, text, user(user_id), message_thread_id=thread_id, is_topic_message=True, **extra)}
