"""The School Development Plan screens: the plan and its priorities (page), "this term at a
glance" (glance), indicators with a chart and a table (indicators), their edit dialogs and the
year end. Input is checked in `core.plan_edit`; figures come from `core.plan_figures`."""
