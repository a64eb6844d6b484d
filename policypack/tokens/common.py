"""Type tokens of providers every cloud uses (random, tls) and of the engine itself."""

RANDOM_PASSWORD = "random:index/randomPassword:RandomPassword"
