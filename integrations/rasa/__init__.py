"""Optional Rasa: language understanding (TLIVE_RASA_URL) and an action server (rasa-sdk)."""

from integrations.rasa.breaker import BreakerState, CircuitBreaker
from integrations.rasa.client import INTENT_COMMANDS, RasaIntents, read_parse

__all__ = ["INTENT_COMMANDS", "BreakerState", "CircuitBreaker", "RasaIntents", "read_parse"]
