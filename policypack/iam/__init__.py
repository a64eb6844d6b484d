"""The IAM policy-document model every IAM rule asks its questions of."""
