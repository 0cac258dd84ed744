"""Settings.from_env: defaults, every key, bad values, .env overlay, the token kept out of repr."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.errors import ConfigError
from bot.settings import DEFAULT_API_BASE_URL, Settings
from tests.helpers import ROOT

TOKEN = "123456:TEST-TOKEN-settings"


def test_defaults_without_environment(tmp_path: Path) -> None:
    settings = Settings.from_env({}, dotenv=tmp_path / "missing.env")
    assert settings.token is None
    assert settings.api_base_url == DEFAULT_API_BASE_URL
    assert settings.corpus_dir == Path("corpus")
    assert settings.webhook_url is None
    assert (settings.listen, settings.port, settings.log_level) == ("0.0.0.0", 8443, "INFO")
    assert (settings.top_k, settings.flood_limit, settings.flood_window) == (3, 20, 60)
    assert settings.rate_limiter is True
    assert (settings.database_url, settings.fetch_allow_private) == ("sqlite:///data/bot.sqlite3", False)
    assert (settings.read_limit, settings.read_window) == (10, 3600)


def test_every_key_is_read() -> None:
    settings = Settings.from_env(
        {
            "TELEGRAM_BOT_TOKEN": f" {TOKEN} ",
            "TELEGRAM_API_BASE_URL": "http://127.0.0.1:8081/bot",
            "CORPUS_DIR": "/data/articles",
            "WEBHOOK_URL": "https://bot.example.com/telegram",
            "WEBHOOK_SECRET": "s3cret",
            "LISTEN": "127.0.0.1",
            "PORT": "8080",
            "LOG_LEVEL": "debug",
            "TOP_K": "5",
            "FLOOD_LIMIT": "7",
            "FLOOD_WINDOW": "30",
            "RATE_LIMITER": "off",
            "DATABASE_URL": "sqlite:////var/lib/bot.sqlite3",
            "FETCH_ALLOW_PRIVATE": "1",
            "READ_LIMIT": "4",
            "READ_WINDOW": "600",
            "ADMIN_IDS": "12,34",
            "SEND_TIMEOUT": "2.5",
        },
        dotenv=None,
    )
    assert settings == Settings(
        token=TOKEN,
        api_base_url="http://127.0.0.1:8081/bot",
        corpus_dir=Path("/data/articles"),
        webhook_url="https://bot.example.com/telegram",
        webhook_secret="s3cret",
        listen="127.0.0.1",
        port=8080,
        log_level="DEBUG",
        top_k=5,
        flood_limit=7,
        flood_window=30,
        rate_limiter=False,
        database_url="sqlite:////var/lib/bot.sqlite3",
        fetch_allow_private=True,
        read_limit=4,
        read_window=600,
        admin_ids=(12, 34),
        send_timeout=2.5,
    )


def test_settings_are_frozen() -> None:
    with pytest.raises(AttributeError):
        Settings().token = TOKEN  # type: ignore[misc]


def test_secrets_stay_out_of_repr() -> None:
    text = repr(Settings(token=TOKEN, webhook_secret="hush-hush"))
    assert TOKEN not in text
    assert "hush-hush" not in text


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("PORT", "http", "PORT must be a whole number"),
        ("PORT", "70000", "PORT must be between 1 and 65535"),
        ("TOP_K", "0", "TOP_K must be between 1 and 10"),
        ("FLOOD_LIMIT", "-3", "FLOOD_LIMIT must be between"),
        ("LOG_LEVEL", "loud", "LOG_LEVEL must be one of"),
        ("RATE_LIMITER", "maybe", "RATE_LIMITER must be true or false"),
        ("FETCH_ALLOW_PRIVATE", "please", "FETCH_ALLOW_PRIVATE must be true or false"),
        ("READ_LIMIT", "0", "READ_LIMIT must be between"),
        ("LOAD_WORKERS", "0", "LOAD_WORKERS must be between 1 and"),
        ("LOAD_WORKERS", "all", "LOAD_WORKERS must be a whole number"),
    ],
)
def test_bad_values_name_the_key(key: str, value: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        Settings.from_env({key: value}, dotenv=None)


@pytest.mark.parametrize(("raw", "expected"), [("1", True), ("yes", True), ("TRUE", True), ("0", False), ("no", False)])
def test_rate_limiter_switch(raw: str, expected: bool) -> None:
    assert Settings.from_env({"RATE_LIMITER": raw}, dotenv=None).rate_limiter is expected


def test_dotenv_is_read_and_the_environment_wins(tmp_path: Path) -> None:
    dotenv = tmp_path / ".env"
    dotenv.write_text(
        f"# comment\nexport TELEGRAM_BOT_TOKEN='{TOKEN}'\nTOP_K=4  # inline comment\nPORT=9000\n",
        encoding="utf-8",
    )
    settings = Settings.from_env({"PORT": "9001"}, dotenv=dotenv)
    assert (settings.token, settings.top_k, settings.port) == (TOKEN, 4, 9001)


def test_malformed_dotenv_line_names_file_and_line(tmp_path: Path) -> None:
    dotenv = tmp_path / ".env"
    dotenv.write_text("TOP_K=3\nthis is not a setting\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"\.env:2: expected KEY=value"):
        Settings.from_env({}, dotenv=dotenv)


def test_require_token_says_where_to_put_it() -> None:
    with pytest.raises(ConfigError, match=r"TELEGRAM_BOT_TOKEN.*\.env\.example"):
        Settings().require_token()
    assert Settings(token=TOKEN).require_token() == TOKEN


@pytest.mark.parametrize(
    ("line", "value"),
    [
        ('TELEGRAM_BOT_TOKEN="123:abc" # my token', "123:abc"),
        ("TELEGRAM_BOT_TOKEN='123:abc'", "123:abc"),
        ("TELEGRAM_BOT_TOKEN=123:abc # my token", "123:abc"),
        ('WEBHOOK_SECRET="12#3"', "12#3"),
    ],
)
def test_dotenv_quotes_and_trailing_comments(tmp_path: Path, line: str, value: str) -> None:
    (tmp_path / ".env").write_text(line + "\n", encoding="utf-8")
    settings = Settings.from_env({}, tmp_path / ".env")
    assert (settings.webhook_secret if line.startswith("WEBHOOK_SECRET") else settings.token) == value


def test_a_non_utf8_dotenv_is_a_config_error(tmp_path: Path) -> None:
    (tmp_path / ".env").write_bytes(b"X=\xff\n")
    with pytest.raises(ConfigError, match="not UTF-8"):
        Settings.from_env({}, tmp_path / ".env")


@pytest.mark.parametrize("url", ["ftp://x/bot", "127.0.0.1:8081/bot", "http://"])
def test_a_bad_api_base_url_is_a_config_error(url: str) -> None:
    with pytest.raises(ConfigError, match="TELEGRAM_API_BASE_URL"):
        Settings.from_env({"TELEGRAM_API_BASE_URL": url}, None)


def test_env_example_documents_every_key_with_its_default() -> None:
    """.env.example is the documentation: every key is there, and a default it shows is the real one."""
    lines = (ROOT / ".env.example").read_text(encoding="utf-8").splitlines()
    shown = dict(line.lstrip("# ").split("=", 1) for line in lines if re.match(r"#? ?[A-Z_]+=", line))
    for key, default in Settings.keys().items():
        assert key in shown, f"{key} is not in .env.example"
        if shown[key] and key not in ("TELEGRAM_API_BASE_URL", "WEBHOOK_URL", "WEBHOOK_SECRET"):
            expected = ("on" if default else "off") if isinstance(default, bool) else str(default)
            assert shown[key] == expected, f".env.example shows {key}={shown[key]}, the default is {expected}"
