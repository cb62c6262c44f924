"""The application layer: every operation of thidua as plain functions with typed results, for every front end.

The command line (cli/) and the web pages (web/, `thidua serve`) call these and only render what
they return; nothing here prints, parses options or knows a request. Bad input raises the located
`UserError` of rules/errors.py; what the application itself refuses (a folder outside the served
one, an unknown run) is an `AppError` (evaluator/app/errors.py).
"""
