"""The school's Partnerships page (issue 13)."""
