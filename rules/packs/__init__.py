"""Rule packs shipped with thidua (YAML files named by `use:` in an agency's rule files)."""
