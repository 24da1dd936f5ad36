"""The SQLModel store: models, engine, document import and queries."""
