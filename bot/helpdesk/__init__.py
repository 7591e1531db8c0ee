"""The helpdesk: a person takes over a chat on any channel, and gives it back to the bot.

Where things are (inner layers first; each module only imports those above it):

- ``hold``     the hold as a pure state machine over ``ChatMode`` (bot, queued, agent), the
               holder identity and ``HelpdeskError``; the only code that sets the hold's columns
- ``hours``    opening hours and "when will someone answer"
- ``media``    photos in chats: re-encoded for agents, encrypted at rest, keyed public links
- ``canned``   canned answers (admins write them, agents send them)
- ``agents``   the agent directory (who a chat may be transferred to)
- ``reading``  read models for agents: the queue, a chat's masked history, the citizen's state
- ``desk``     the helpdesk as the dialogs meet it (queue a citizen, keep a photo, rating)

Queries live in ``bot.storage.repositories.helpdesk`` (``uow.helpdesk``); what agents and admins
do (claim, reply, transfer, hand back, close, sweep idle holds…) are the use cases in
``bot.usecases.helpdesk``, reached as ``core.helpdesk_cases`` by the console and the API.
"""
