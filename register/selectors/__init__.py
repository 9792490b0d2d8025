"""Reads for the register's pages, one module per audience.

``queue`` and ``review`` serve reviewers, ``staff`` the admins, ``public`` the
public register and verification, ``dossier`` and ``application`` the
practitioner's own application, ``notifications`` the periodic email sender.
Every page runs a fixed number of queries whatever the number of applications,
entries or dossier statements: rows are fetched with their relations joined or
prefetched, counts come from annotations, and the grouping is done in Python.
Import the module you need (``from register.selectors import staff``).
"""
