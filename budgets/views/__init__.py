"""Pages of participatory budgets: processes, projects, and the staff's review and follow-up."""
