"""What readers see: the diagram (DOT, Graphviz, SVG), the pages and fragments."""
