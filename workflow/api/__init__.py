"""thidua's REST API: every user action of the UI, under the same permissions and services."""
