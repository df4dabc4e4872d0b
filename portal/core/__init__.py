"""Core: what every feature stands on, and which names no feature.

Settings, the clock, problems, centres and their registry, the database and its
extensions, encryption with the registry of encrypted columns, signing, languages
and the web plumbing (sessions, security headers, errors, logs, health).
Nothing here imports `portal.<feature>`; a test of the import graph keeps it so.
"""
