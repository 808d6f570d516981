"""GitLab integration: the REST client for the sticky merge-request note and the CI glue."""
