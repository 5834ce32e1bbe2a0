"""The search page: accent-insensitive search across every record's text, results paged into an
item model with the matched words highlighted; a result opens its record."""
