"""The host's Peer review page (issue 12): the visits the school hosts and their findings, the
visit editor, what the reviewers may see (chooser and pack preview), sending the pack, the
host's responses, "Add to our plan" and the agreed report. The reviewer's side is gui/visits/.
Data and decisions come from `selfeval_app.peer_review_views` (no Qt there)."""
