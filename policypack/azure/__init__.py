"""What the Azure rules share: the built-in roles that reach Key Vault data, how wide a scope
is, and Azure's ways of writing time (ISO 8601 durations, epoch seconds, RFC 3339)."""
