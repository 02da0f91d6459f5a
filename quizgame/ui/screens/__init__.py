"""One screen per step of the game; each calls the core and the store, never the reverse."""
