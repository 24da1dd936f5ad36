"""Channel-free conversation: question -> Reply."""
