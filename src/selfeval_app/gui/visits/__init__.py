"""The reviewer's side of peer review in the window: "Visits I review" and the visit workspace."""
