"""JSON Schemas shipped with the package (parsed record)."""
