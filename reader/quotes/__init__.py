"""Direct quotations in an article's text, and who said them.

``find_quotations(paragraphs)`` returns the article's ``Quotation`` records in reading
order, used by the TUI's quote pane, ``reader quotes`` and exports. Pure text processing
over the paragraphs' plain texts: no I/O, no Textual, no model.
"""

from reader.quotes.model import Quotation
from reader.quotes.resolve import find_quotations

__all__ = ["Quotation", "find_quotations"]
