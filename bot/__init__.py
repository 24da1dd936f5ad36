"""The targetbot process: settings, CLI and channel adapters."""
