"""Whole screens: the main three-pane screen (``main``, on its bases ``pane_layout``,
``article_display``, ``highlight_actions``, ``export_worker``) and the help screen (``help``)."""
