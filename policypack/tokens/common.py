"""Type tokens of providers every cloud uses (random, tls) and of the engine itself."""

RANDOM_PASSWORD = "random:index/randomPassword:RandomPassword"

# Not a resource: a stack's configuration, as keyguard hands it to stack-config-no-plaintext-secrets
# (read from Pulumi.<stack>.yaml, or from the engine's ConfigureStack). No provider uses this token.
STACK_CONFIG = "keyguard:config:StackConfig"
