"""API views, thin: look up under the UI's permissions, validate, call one service."""
