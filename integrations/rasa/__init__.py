"""Optional language understanding by a Rasa server (TLIVE_RASA_URL)."""

from integrations.rasa.client import INTENT_COMMANDS, RasaIntents

__all__ = ["INTENT_COMMANDS", "RasaIntents"]
