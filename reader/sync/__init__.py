"""``reader sync``: one library on several machines, through a git repository.

The library folder becomes a git repository holding the shared file (``shared_file``, a
canonical one-record-per-line copy of the articles, highlights and feeds) and the bodies
folder; the library file, its journal, lock, backups, search index and start snapshot stay
machine-local (``.gitignore``). ``merge`` is the pure three-way merge of two library
states; ``repo`` runs the ``git`` command; ``service`` is the sync flow; ``driver`` is the
merge driver git runs for the shared file on a ``git pull`` done by hand.
"""
