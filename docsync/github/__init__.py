"""GitHub integration: the REST client for the sticky pull-request comment and the Actions glue."""
