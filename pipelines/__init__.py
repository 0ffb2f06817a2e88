"""Item pipelines: one module per pipeline or storage concern."""
