"""Runs only in its own environment: keyguard's has no pulumi_random, and this pins 4.16.0."""
import importlib.metadata

import pulumi
import pulumi_random as random

password = random.RandomPassword("db", length=24, special=False)
pulumi.export("randomVersion", importlib.metadata.version("pulumi-random"))
pulumi.export("dbPassword", password.result)  # a secret-bearing output exported: a real finding
