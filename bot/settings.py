"""Settings, read once from the environment and an optional ``.env`` file.

Every key is documented in ``.env.example``. Real environment variables win
over ``.env``. The token is kept out of ``repr`` so it never reaches a log.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from bot.errors import ConfigError

DEFAULT_API_BASE_URL = "https://api.telegram.org/bot"
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


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


def _base_url(values: Mapping[str, str]) -> str:
    """TELEGRAM_API_BASE_URL, which must be an http(s) URL (PTB appends the token to it)."""
    url = (values.get("TELEGRAM_API_BASE_URL") or "").strip() or DEFAULT_API_BASE_URL
    if not re.match(r"https?://[^/\s]+", url):
        raise ConfigError(f"TELEGRAM_API_BASE_URL must start with http:// or https://, got {url!r}")
    return url


def _unquote(value: str) -> str:
    """A value without its quotes or trailing comment: ``"123:abc"  # mine`` -> ``123:abc``."""
    quoted = re.fullmatch(r"""(["'])(.*?)\1\s*(?:#.*)?""", value)
    if quoted:
        return quoted.group(2)
    return value.split(" #", 1)[0].rstrip()


def _bool(values: Mapping[str, str], key: str, default: bool) -> bool:
    raw = values.get(key, "").strip().lower()
    if not raw:
        return default
    if raw in ("1", "true", "yes", "on"):
        return True
    if raw in ("0", "false", "no", "off"):
        return False
    raise ConfigError(f"{key} must be true or false (1/0, yes/no, on/off), got {raw!r}")


def _int(values: Mapping[str, str], key: str, default: int, low: int, high: int) -> int:
    raw = values.get(key, "").strip()
    if not raw:
        return default
    try:
        number = int(raw)
    except ValueError:
        raise ConfigError(f"{key} must be a whole number, got {raw!r}") from None
    if not low <= number <= high:
        raise ConfigError(f"{key} must be between {low} and {high}, got {number}")
    return number


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything configurable, in one place."""

    token: str | None = field(default=None, repr=False)
    api_base_url: str = DEFAULT_API_BASE_URL
    corpus_dir: Path = Path("corpus")
    webhook_url: str | None = None
    webhook_secret: str | None = field(default=None, repr=False)
    listen: str = "0.0.0.0"
    port: int = 8443
    log_level: str = "INFO"
    top_k: int = 3
    flood_limit: int = 20
    flood_window: int = 60
    rate_limiter: bool = True

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, dotenv: Path | None = Path(".env")) -> Settings:
        """Read settings from ``.env`` (if present) overlaid with the real environment."""
        values = {**(read_dotenv(dotenv) if dotenv else {}), **(os.environ if environ is None else environ)}
        level = (values.get("LOG_LEVEL") or "INFO").strip().upper()
        if level not in LOG_LEVELS:
            raise ConfigError(f"LOG_LEVEL must be one of {', '.join(LOG_LEVELS)}, got {level!r}")
        return cls(
            token=(values.get("TELEGRAM_BOT_TOKEN") or "").strip() or None,
            api_base_url=_base_url(values),
            corpus_dir=Path((values.get("CORPUS_DIR") or "").strip() or "corpus"),
            webhook_url=(values.get("WEBHOOK_URL") or "").strip() or None,
            webhook_secret=(values.get("WEBHOOK_SECRET") or "").strip() or None,
            listen=(values.get("LISTEN") or "").strip() or "0.0.0.0",
            port=_int(values, "PORT", 8443, 1, 65535),
            log_level=level,
            top_k=_int(values, "TOP_K", 3, 1, 10),
            flood_limit=_int(values, "FLOOD_LIMIT", 20, 1, 10_000),
            flood_window=_int(values, "FLOOD_WINDOW", 60, 1, 86_400),
            rate_limiter=_bool(values, "RATE_LIMITER", True),
        )

    def require_token(self) -> str:
        """The bot token, or a ConfigError saying where to put it."""
        if not self.token:
            raise ConfigError("TELEGRAM_BOT_TOKEN is not set; copy .env.example to .env and put your bot token there")
        return self.token
