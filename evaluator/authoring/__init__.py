"""Tools for admins: scaffolding a folder, validating it, rule tests, the shipped examples."""
