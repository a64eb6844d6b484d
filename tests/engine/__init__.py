"""The engine layer: the pack spoken to over its gRPC protocol as the Pulumi engine does
(harness.py), its two servicers, and the facts the real engine taught the harness."""
