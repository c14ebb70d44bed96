"""Resolution across documents: who is who (:mod:`.people`), which actions are still open (:mod:`.actions`).

The store calls these inside its per-document transaction; each module reads
and writes only its own tables through the ``sqlite_utils.Database`` it is given.
"""

from __future__ import annotations
