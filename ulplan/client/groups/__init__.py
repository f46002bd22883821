"""Resource groups of the client: one class per part of the API."""
