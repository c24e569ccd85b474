"""Demo data: a realistic, deterministic school in the middle of its programme year.

`seed.py` builds it (used by `manage.py seed_demo`), `names.py` holds the Russian name tables.
Not an installed app: it has no models of its own.
"""
