"""Direct quotations in an article's text, and who said them (see ``attribution``)."""

from reader.quotes.attribution import Quotation, find_quotations

__all__ = ["Quotation", "find_quotations"]
