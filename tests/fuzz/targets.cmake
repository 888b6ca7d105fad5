# One line per fuzz target.
