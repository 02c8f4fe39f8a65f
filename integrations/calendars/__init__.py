"""Calendars (spec §5.3, ADR 0027): subscription feeds, and personal Google and Outlook calendars kept in step.

``port`` is the plain-dataclass interface of a calendar vendor; ``google`` and ``graph`` are its adapters (each
registers its connector vendor); ``oauth`` is the authorization code flow with PKCE they share; ``sync`` decides
what a connected calendar must hold and writes it through the adapters as connector jobs; ``feeds`` are the
secret subscription URLs.
"""
