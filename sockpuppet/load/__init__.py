"""Loading archives into the core tables: find files, detect layouts, stage, validate, publish."""
