"""The drafts app's models: a draft and its write path, its revisions, and the PDF cache."""

from .draft import UNTITLED, Draft, _empty_dict, _empty_list
from .pdfcache import PdfCache
from .revision import LibraryChoice, Revision

__all__ = ["UNTITLED", "Draft", "LibraryChoice", "PdfCache", "Revision", "_empty_dict", "_empty_list"]
