"""The self-evaluation screens (issue 4): the evaluation page (an area's narrative and statements
for one academic year, autosaved as the head types, with history), its dialogs (linking evidence,
history), and the evidence coverage page."""
