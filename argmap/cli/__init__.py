"""The ``argmap`` command line: :mod:`~argmap.cli.root` (the group and ``main``),
:mod:`~argmap.cli.registry` (which module runs which command), one module per group of
commands, :mod:`~argmap.cli.failures` (exceptions to exit codes) and
:mod:`~argmap.cli.printing`.
"""

from argmap.cli.root import app, main

__all__ = ["app", "main"]
