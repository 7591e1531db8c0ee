"""Editing the FAQ, the parts that need no database: rules, records, diffs, try-it, the inbox.

The transactional side (versions, audit, publishing) is ``bot.usecases.faq``; the queries are
``bot.storage.repositories.faq``.
"""
