"""What citizens type, understood: yes/no, dates, choices, commands, numbers in sentences.

Pure functions over text, no I/O; the words they know come from the message catalog or from the
small tables in ``bot.domain.language.text``. Dialogs use them before taking text as an answer.
"""
