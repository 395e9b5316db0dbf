"""Direct quotations in an article's text, and who said them.

``find_quotations(paragraphs)`` returns the article's ``Quotation`` records in reading
order (used by the TUI's quote pane, ``reader quotes`` and exports); ``by_speaker`` groups
them. Pure text processing over the paragraphs' plain texts: no I/O, no Textual, no model.
Modules: ``marks`` (finding quotations), ``names`` (people and roles of the article),
``attribution`` (the speech verb next to a quotation), ``subjects`` (who the words around
a verb name), ``resolve`` (speakers over the whole article), ``lexicon`` (word lists, from
``data/``).
"""

from reader.quotes.model import Quotation
from reader.quotes.resolve import find_quotations
from reader.quotes.speakers import by_speaker

__all__ = ["Quotation", "by_speaker", "find_quotations"]
