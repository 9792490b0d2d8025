"""Every change to applications, reviews and register entries goes through these modules.

Each public function runs inside ``register.transitions.transition``, which
locks the rows, checks the state and writes the audit record.
"""
