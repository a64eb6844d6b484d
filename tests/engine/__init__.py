"""The engine layer: the pack spoken to over its gRPC protocol as the Pulumi engine does
(harness.py), its servicer, and the facts the real engine taught the harness."""
