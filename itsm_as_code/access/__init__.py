"""Access management as code: the access policies in git reconciled with real systems.

The flow is `desired` (what the records grant) + a provider's actual members -> `plan`
(grants and revokes) -> `apply` (writes, then a read back that verifies them) ->
`evidence` (one JSON file per run for auditors); `review` lists who holds what, for
recertification campaigns.
"""
