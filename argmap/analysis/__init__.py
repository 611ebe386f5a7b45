"""Stage 3 and after: the argument graph, its evaluation, quotes and lint rules."""
