"""The Textual TUI: ``app`` (start-up, themes, keymap), ``screens/``, ``widgets/`` (the list,
article and quote panes, the filter bar, the header), ``dialogs/`` and the view models beside
them (``library_view``, ``pending_library``). Only this package and ``cli`` import Textual or Rich.
"""
