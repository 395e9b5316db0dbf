"""Settings: where things live (``paths``) and the user's ``config.toml`` (``config``).

The lowest layer of our own: ``paths`` imports nothing of ours, ``config`` only ``paths``.
Every other package may import it.
"""
