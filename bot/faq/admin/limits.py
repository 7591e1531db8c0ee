"""How long an FAQ entry's texts may be (the editors' forms and the API quote these)."""

from __future__ import annotations

MAX_ID = 64
MAX_CATEGORY = 32
MAX_QUESTION = 300
MAX_PARAPHRASE = 300
MAX_PARAPHRASES = 60
MAX_ANSWER = 2000
# The limit each "too long / too many" refusal names in its message.
LIMITS = {
    "question_long": MAX_QUESTION,
    "answer_long": MAX_ANSWER,
    "paraphrases_many": MAX_PARAPHRASES,
    "paraphrase_long": MAX_PARAPHRASE,
}
