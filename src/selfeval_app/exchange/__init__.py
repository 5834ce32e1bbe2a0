"""Exchange: bundles, keys, import/merge, outbox and transports. Never imports Qt."""
