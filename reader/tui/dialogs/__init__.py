"""Modal dialogs: a note and a yes/no (``note_confirm``), export (``export``), the tag editor
(``tags``) and the tag filter (``tag_filter``)."""
