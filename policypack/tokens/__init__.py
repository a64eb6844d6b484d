"""Pulumi type tokens of the resources keyguard judges, one module per provider family.

Rules and helpers spell a token only through these modules, never as a literal, so a
provider that renames a type changes one line.
"""
