"""The Word templates shipped with thidua (package data): bao_cao.docx, built by template_builder.py."""
