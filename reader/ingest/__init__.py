"""Bringing articles in: files (``importers``), the batch import and its worker pool
(``batch``), web pages (``fetch``), feeds (``feeds``) and other apps' exports (``migrate``).

May import ``store``, ``text``, ``search`` (to keep the index in step) and ``highlights``
(the highlight formats other apps share with our exports); never ``cli`` or ``tui``.
"""
