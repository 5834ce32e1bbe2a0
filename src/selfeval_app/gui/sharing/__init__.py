"""The Sharing page: identity, contacts, sending and importing bundles, decisions."""
