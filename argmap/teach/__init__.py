"""For the classroom: handouts and the standard form of arguments."""
