"""Storage helpers: encryption at rest for personal and health data."""
