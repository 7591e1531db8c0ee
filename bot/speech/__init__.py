"""Speech: bot messages as Indonesian voice notes (espeak-ng → OGG/Opus), cached and bounded."""

from bot.speech.service import FILENAME, MIME_TYPE, SpeechService, build_speech

__all__ = ["FILENAME", "MIME_TYPE", "SpeechService", "build_speech"]
