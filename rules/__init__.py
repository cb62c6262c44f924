"""Rule language: YAML models, located errors, loading and resolving rule files and shipped packs."""
