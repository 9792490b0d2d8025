"""The Django admin for framework editors.

Every save goes through ``imhcf.services``, so an edit made here is checked
against the version's state and recorded in the wording history with the
editor's name. Retired versions are read-only, the published version takes
wording edits only, and structure (adding or removing competencies and
statements) changes only in a draft.

``base`` holds what the admins share, ``content`` the framework's rows and
their history, ``versions`` the version actions and ``csv`` the CSV pages.
Importing the modules registers their admins.
"""

from imhcf.admin import content, versions  # noqa: F401
