"""Settings, read once from the environment and an optional ``.env`` file.

One field list: each :class:`Settings` field names its environment key, its parser and its
default, written once (python-ftfy's ``TextFixerConfig`` style); ``from_env`` walks that list.
Every key is documented in ``.env.example`` (a test checks the two agree). Real environment
variables win over ``.env``. Secrets are kept out of ``repr`` so they never reach a log.
"""

from __future__ import annotations

import dataclasses
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from bot.errors import ConfigError

__all__ = ["DEFAULT_API_BASE_URL", "Settings", "read_dotenv"]

DEFAULT_API_BASE_URL = "https://api.telegram.org/bot"
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
TOKEN_PATTERN = re.compile(r"\d+:[A-Za-z0-9_-]+")
WEBHOOK_PORTS = (443, 80, 88, 8443)
"""The only ports Telegram sends webhook updates to."""
Parser = Callable[[str, str], Any]
"""(key, raw value) -> the setting's value, or a ConfigError naming the key."""


def read_dotenv(path: Path) -> dict[str, str]:
    """Parse ``KEY=value`` lines (``#`` comments, optional quotes, optional ``export``)."""
    if not path.is_file():
        return {}
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not UTF-8 text (byte 0x{exc.object[exc.start]:02x}); save it as UTF-8") from None
    values: dict[str, str] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        key, sep, value = line.removeprefix("export ").partition("=")
        if not sep or not key.strip():
            raise ConfigError(f"{path}:{number}: expected KEY=value")
        values[key.strip()] = _unquote(value.strip())
    return values


def _unquote(value: str) -> str:
    """A value without its quotes or trailing comment: ``"123:abc"  # mine`` -> ``123:abc``."""
    quoted = re.fullmatch(r"""(["'])(.*?)\1\s*(?:#.*)?""", value)
    if quoted:
        return quoted.group(2)
    return value.split(" #", 1)[0].rstrip()


# ---- parsers: (key, raw) -> value ------------------------------------------------------


def as_text(key: str, raw: str) -> str:
    return raw


def as_path(key: str, raw: str) -> Path:
    return Path(raw)


def as_http_url(key: str, raw: str) -> str:
    """An http(s) URL (PTB appends the token to the Bot API base)."""
    if not re.match(r"https?://[^/\s]+", raw):
        raise ConfigError(f"{key} must start with http:// or https://, got {raw!r}")
    return raw


def as_api_base_url(key: str, raw: str) -> str:
    """The Bot API base, ending in ``/bot``: PTB appends the token and the method (``.../bot<token>/getMe``)."""
    if re.search(r"/bot\d+:", raw):  # never echoed: it holds the token
        raise ConfigError(f"{key} must end with /bot, without the token (that goes in TELEGRAM_BOT_TOKEN)")
    url = as_http_url(key, raw)
    path = urlsplit(url).path
    if not path.endswith("/bot"):
        raise ConfigError(
            f"{key} must end with /bot (the token is appended to it, as in {DEFAULT_API_BASE_URL}<token>/getMe), "
            f"got {url!r}"
        )
    return url


def as_token(key: str, raw: str) -> str:
    """A token as @BotFather gives it (``123456:ABC-def_...``); the message never repeats it."""
    if re.search(r"\s", raw):
        raise ConfigError(f"{key} has a space or line break inside it; put the token from @BotFather on one line")
    if not TOKEN_PATTERN.fullmatch(raw):
        raise ConfigError(
            f"{key} does not look like a bot token (digits, a colon, then letters, digits, - and _, "
            "as @BotFather gives it)"
        )
    return raw


def as_webhook_url(key: str, raw: str) -> str:
    """An https URL on a port Telegram delivers webhooks to (https://core.telegram.org/bots/api#setwebhook)."""
    url = urlsplit(raw)
    if url.scheme != "https" or not url.hostname:
        raise ConfigError(f"{key} must be a full https:// URL (Telegram calls webhooks over HTTPS only), got {raw!r}")
    try:
        port = url.port or 443
    except ValueError:
        raise ConfigError(f"{key} has a malformed port, got {raw!r}") from None
    if port not in WEBHOOK_PORTS:
        ports = ", ".join(map(str, WEBHOOK_PORTS))
        raise ConfigError(f"{key} must use one of the ports Telegram calls ({ports}), got {port}")
    return raw


def as_user_ids(key: str, raw: str) -> tuple[int, ...]:
    """Telegram user ids separated by commas or spaces."""
    ids = []
    for part in re.split(r"[,\s]+", raw.strip(", ")):
        if not re.fullmatch(r"\d{1,20}", part):
            raise ConfigError(f"{key} must be Telegram user ids (whole numbers) separated by commas, got {part!r}")
        ids.append(int(part))
    return tuple(ids)


def as_seconds(low: float, high: float) -> Parser:
    def parse(key: str, raw: str) -> float:
        try:
            seconds = float(raw)
        except ValueError:
            raise ConfigError(f"{key} must be a number of seconds, got {raw!r}") from None
        if not low <= seconds <= high:
            raise ConfigError(f"{key} must be between {low:g} and {high:g} seconds, got {seconds:g}")
        return seconds

    return parse


def as_whole_number(low: int, high: int) -> Parser:
    def parse(key: str, raw: str) -> int:
        try:
            number = int(raw)
        except ValueError:
            raise ConfigError(f"{key} must be a whole number, got {raw!r}") from None
        if not low <= number <= high:
            raise ConfigError(f"{key} must be between {low} and {high}, got {number}")
        return number

    return parse


def as_switch(key: str, raw: str) -> bool:
    value = raw.lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    raise ConfigError(f"{key} must be true or false (1/0, yes/no, on/off), got {raw!r}")


def as_log_level(key: str, raw: str) -> str:
    level = raw.upper()
    if level not in LOG_LEVELS:
        raise ConfigError(f"{key} must be one of {', '.join(LOG_LEVELS)}, got {level!r}")
    return level


def as_choice(*choices: str) -> Parser:
    def parse(key: str, raw: str) -> str:
        value = raw.lower()
        if value not in choices:
            raise ConfigError(f"{key} must be one of {', '.join(choices)}, got {raw!r}")
        return value

    return parse


def as_list(key: str, raw: str) -> tuple[str, ...]:
    """A comma-separated list (blank items dropped)."""
    return tuple(item.strip() for item in raw.split(",") if item.strip())


def setting(env: str, default: Any, parse: Parser = as_text, *, secret: bool = False) -> Any:
    """A Settings field read from ``env``; blank or missing means ``default``."""
    return dataclasses.field(default=default, repr=not secret, metadata={"env": env, "parse": parse})


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything configurable, in one place: field, environment key, parser, default."""

    token: str | None = setting("TELEGRAM_BOT_TOKEN", None, as_token, secret=True)
    api_base_url: str = setting("TELEGRAM_API_BASE_URL", DEFAULT_API_BASE_URL, as_api_base_url)
    corpus_dir: Path = setting("CORPUS_DIR", Path("corpus"), as_path)
    load_workers: int | None = setting("LOAD_WORKERS", None, as_whole_number(1, 1024))  # None: every core
    webhook_url: str | None = setting("WEBHOOK_URL", None, as_webhook_url)
    webhook_secret: str | None = setting("WEBHOOK_SECRET", None, secret=True)
    listen: str = setting("LISTEN", "0.0.0.0")
    port: int = setting("PORT", 8443, as_whole_number(1, 65535))
    log_level: str = setting("LOG_LEVEL", "INFO", as_log_level)
    top_k: int = setting("TOP_K", 3, as_whole_number(1, 10))
    flood_limit: int = setting("FLOOD_LIMIT", 20, as_whole_number(1, 10_000))
    flood_window: int = setting("FLOOD_WINDOW", 60, as_whole_number(1, 86_400))
    rate_limiter: bool = setting("RATE_LIMITER", True, as_switch)
    database_url: str = setting("DATABASE_URL", "sqlite:///data/bot.sqlite3")
    fetch_allow_private: bool = setting("FETCH_ALLOW_PRIVATE", False, as_switch)
    read_limit: int = setting("READ_LIMIT", 10, as_whole_number(1, 10_000))
    read_window: int = setting("READ_WINDOW", 3600, as_whole_number(1, 7 * 86_400))
    admin_ids: tuple[int, ...] = setting("ADMIN_IDS", (), as_user_ids)
    send_timeout: float = setting("SEND_TIMEOUT", 5.0, as_seconds(0.1, 300))
    search_backend: str = setting("SEARCH_BACKEND", "memory", as_choice("memory", "xapian"))
    xapian_shards: tuple[str, ...] = setting("XAPIAN_SHARDS", (), as_list)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, dotenv: Path | None = Path(".env")) -> Settings:
        """Read settings from ``.env`` (if present) overlaid with the real environment."""
        values = {**(read_dotenv(dotenv) if dotenv else {}), **(os.environ if environ is None else environ)}
        given = {}
        for f in dataclasses.fields(cls):
            raw = (values.get(f.metadata["env"]) or "").strip()
            if raw:
                given[f.name] = f.metadata["parse"](f.metadata["env"], raw)
        return cls(**given)

    @classmethod
    def keys(cls) -> dict[str, Any]:
        """Environment key -> default, in field order (what ``.env.example`` documents)."""
        return {f.metadata["env"]: f.default for f in dataclasses.fields(cls)}

    def require_token(self) -> str:
        """The bot token, or a ConfigError saying where to put it."""
        if not self.token:
            raise ConfigError("TELEGRAM_BOT_TOKEN is not set; copy .env.example to .env and put your bot token there")
        return self.token
