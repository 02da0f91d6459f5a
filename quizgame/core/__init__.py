"""The pure core: no terminal, no disk writes, seeded randomness and an injected clock."""
