"""The evidence log: a paged list of evidence with filters and sorting, an editor for one item
(links to areas, statements and priorities; visibility; attachments), delete with undo and purge."""
