"""thidua serve: the council's, admins' and auditors' pages and the JSON API, over the application layer."""
