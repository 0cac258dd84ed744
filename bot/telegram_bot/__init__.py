"""The Telegram side: the application, its handlers, the flood limit."""
