"""The article pane: ``frame`` (its border, which shows the focus) around ``view`` (the
widget and its keys) on ``loading`` (parse, preview, worker, document cache), ``position``
(reading place, end), ``selection`` (selection, highlight jumps, mouse) and ``strips``
(drawing rows); ``layout`` lays the article out as terminal lines."""
