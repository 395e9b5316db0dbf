"""The article pane: ``view`` (the widget: loading, keys, selection, scrolling) and ``layout``
(the article laid out as terminal lines)."""
