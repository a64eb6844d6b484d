"""keyguard: guardrails for API keys and secrets on AWS, as a Pulumi CrossGuard pack and a scanner.

Kept import-light on purpose: the engine starts the pack for every preview.
"""
__version__ = "0.1.0"
