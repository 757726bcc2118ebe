"""The shared analysis layer: names, imports, scopes, local data flow, DB semantics."""
