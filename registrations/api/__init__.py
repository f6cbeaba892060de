"""The registration REST API for headless clients and its OpenAPI schema."""
