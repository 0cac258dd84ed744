"""The command table: one entry per command drives the menus (setMyCommands), the routing and /help.

Adding a command is one entry here and one handler function in ``bot.telegram_bot.handlers``.
Two menus: the default one (private chats), and a shorter one for groups (``in_groups``), where
only asking and reading make sense; an entry with no ``menu`` line (/stats) is in neither.
"""

from __future__ import annotations

from dataclasses import dataclass

from telegram import BotCommand

from bot.telegram_bot import handlers as h
from bot.telegram_bot.handlers import Handler

__all__ = ["COMMANDS", "Command", "group_menu", "help_lines", "menu"]


@dataclass(frozen=True, slots=True)
class Command:
    """A slash command: its name, its line in Telegram's menu and in /help (None: not listed), and its handler."""

    name: str
    menu: str | None
    help: str | None
    handler: Handler
    in_groups: bool = False
    """Also in the group chats' menu."""


GROUPS = True
COMMANDS: tuple[Command, ...] = (
    Command("ask", "Ask a question about the article", "ask a question", h.ask_command, GROUPS),
    Command(
        "read", "Read an article: /read <link>", "read the article at a link (in groups too)", h.read_command, GROUPS
    ),
    Command("article", "What I have read; pick one to ask about", "what I have read, and which to ask", h.article),
    Command("forget", "Forget the articles read in this chat", "forget the articles read in this chat", h.forget),
    Command("speakers", "Who is quoted in it", "who is quoted", h.speakers, GROUPS),
    Command("help", "How to ask, in private, groups and inline", "this message", h.help_command, GROUPS),
    Command("start", "Start over", None, h.start),
    Command("stats", None, None, h.stats),  # for ADMIN_IDS: in no menu, not in /help
)


def menu(commands: tuple[Command, ...] = COMMANDS) -> list[BotCommand]:
    """The command menu Telegram shows in private chats (and by default), in table order."""
    return [BotCommand(c.name, c.menu) for c in commands if c.menu]


def group_menu(commands: tuple[Command, ...] = COMMANDS) -> list[BotCommand]:
    """The menu for group chats (``BotCommandScopeAllGroupChats``): asking and reading."""
    return [BotCommand(c.name, c.menu) for c in commands if c.menu and c.in_groups]


def help_lines(commands: tuple[Command, ...] = COMMANDS) -> tuple[tuple[str, str], ...]:
    """(name, what it does) of every command /help lists."""
    return tuple((c.name, c.help) for c in commands if c.help)
