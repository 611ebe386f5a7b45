"""Stage 6: writing. The only package that writes the site, handouts and exports.

- :mod:`~argmap.output.files`: one file, written safely (a command's ``-o FILE``
  replaced in one step, never through a link; a file of the site below its folder).
- :mod:`~argmap.output.folder`: the output folder, written beside the old one and
  swapped in whole (:class:`SiteWriter`), under a lock; the record of what it holds;
  a folder of files kept out of the site (``--handout-keys``).
- :mod:`~argmap.output.store`: the build cache's sealed entries beside the output
  folder (:class:`RenderCache`) and the compiled templates in the user's cache.

The rest of argmap imports these names from ``argmap.output``; the modules import
one another.
"""

from __future__ import annotations

from argmap.output.files import (
    LinkedTargetError,
    copy_out,
    replace_file,
    safe_relative_path,
    site_path,
    target_mode,
    write_file,
)
from argmap.output.folder import (
    KEPT,
    MARKER,
    OutputFolderRefusedError,
    SiteWriter,
    check_output_folder,
    check_private_folder,
    output_unchanged,
    refuse_linked_paths,
    refuse_links,
    write_private_files,
)
from argmap.output.store import (
    RenderCache,
    cache_folder,
    copy_in,
    read_cache_secret,
    template_bytecode_cache,
)

__all__ = [
    "KEPT",
    "MARKER",
    "LinkedTargetError",
    "OutputFolderRefusedError",
    "RenderCache",
    "SiteWriter",
    "cache_folder",
    "check_output_folder",
    "check_private_folder",
    "copy_in",
    "copy_out",
    "output_unchanged",
    "read_cache_secret",
    "refuse_linked_paths",
    "refuse_links",
    "replace_file",
    "safe_relative_path",
    "site_path",
    "target_mode",
    "template_bytecode_cache",
    "write_file",
    "write_private_files",
]
