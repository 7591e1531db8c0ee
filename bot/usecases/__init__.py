"""The application layer: one use case per thing a citizen, verifier, agent or admin does.

A use case takes an actor and a small command, opens and commits the unit of work, and
publishes what happened (``bot.domain.events``); the composition root subscribes the reactions.
HTTP handlers, CLI commands and dialogs call use cases; they never open a transaction themselves.
"""
