"""The panes and bars of the main screen: ``list_pane``, ``article/`` (the article pane),
``quote_pane``, ``filter_bar`` and ``header``."""
