"""Registration (the SOP's step 1) as a form: consent, one question per slot, a summary.

``form`` holds the building blocks, ``questions`` and ``photos`` the slots, ``steps`` their
order with the summary and edits, ``flow`` the entry and the step dispatch.
"""

from dialogs import menu
from dialogs.flow import Command, DialogFlow, FlowName, Trigger
from dialogs.registration.flow import continue_paused, handle, pause, reprompt, start
from dialogs.registration.photos import photo_kind
from dialogs.registration.steps import CONTINUE, SLOTS

# "Send again", offered with a rejection; like the menu's choice, it opens the form.
RESUBMIT = menu.RESUBMIT

FLOW = DialogFlow(
    FlowName.REGISTRATION,
    handle=handle,
    reprompt=reprompt,
    triggers=(
        Trigger(start, Command.REGISTER, (menu.REGISTER, RESUBMIT, CONTINUE, menu.REGISTER_OTHER)),
    ),
    cancel=pause,
    photo_kind=photo_kind,
)

__all__ = ["CONTINUE", "FLOW", "RESUBMIT", "SLOTS", "continue_paused", "start"]
