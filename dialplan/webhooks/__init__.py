"""Webhooks: call lifecycle events (started, answered, transferred, queued, ended)
POSTed as signed JSON to the URLs of `[webhooks]`, retried, bounded, never in a call's
way. `settings` is the table, `lifecycle` turns a call's machine steps into events (the
service and the simulator alike), `signing` signs and verifies, `outbox` and `sender`
deliver. Nothing here imports the service's config module (it imports `settings`)."""
