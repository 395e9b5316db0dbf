"""Whole screens: the main three-pane screen (``main``) and the help screen (``help``)."""
