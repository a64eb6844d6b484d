"""Who can read each secret, SecureString parameter and customer-managed key of a stack.

`reach` answers it from the principal model (iam/effective.py), the resource policies
of the stack (secret and key policies, trust policies) and the escalation set of
iam-policy-no-privilege-escalation; `render` prints the answer; `diff` compares two
answers. Nothing here calls AWS.
"""
