"""The command table: one entry per command drives the menu (setMyCommands), the routing and /help.

Adding a command is one entry here and one handler function in ``bot.telegram_bot.handlers``.
"""

from __future__ import annotations

from dataclasses import dataclass

from telegram import BotCommand

from bot.telegram_bot import handlers as h
from bot.telegram_bot.handlers import Handler

__all__ = ["COMMANDS", "Command", "help_lines", "menu"]


@dataclass(frozen=True, slots=True)
class Command:
    """A slash command: its name, its line in Telegram's menu, its line in /help (None: not listed)."""

    name: str
    menu: str
    help: str | None
    handler: Handler


COMMANDS: tuple[Command, ...] = (
    Command("ask", "Ask a question about the article", "ask a question", h.ask_command),
    Command("read", "Read an article: /read <link>", "read the article at a link (in groups too)", h.read_command),
    Command("article", "What I have read; pick one to ask about", "what I have read, and which to ask", h.article),
    Command("forget", "Forget the articles read in this chat", "forget the articles read in this chat", h.forget),
    Command("speakers", "Who is quoted in it", "who is quoted", h.speakers),
    Command("help", "How to ask, in private, groups and inline", "this message", h.help_command),
    Command("start", "Start over", None, h.start),
)


def menu(commands: tuple[Command, ...] = COMMANDS) -> list[BotCommand]:
    """The command menu Telegram shows, in table order."""
    return [BotCommand(c.name, c.menu) for c in commands]


def help_lines(commands: tuple[Command, ...] = COMMANDS) -> tuple[tuple[str, str], ...]:
    """(name, what it does) of every command /help lists."""
    return tuple((c.name, c.help) for c in commands if c.help)
