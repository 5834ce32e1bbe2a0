"""The local authority's pages (issue 13): schools, one school, across schools, exports."""
