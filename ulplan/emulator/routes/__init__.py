"""HTTP routes, one module per part of the API: parse, call the store, wrap the envelope."""
