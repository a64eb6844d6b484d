"""A worker that reads a queue and publishes to a topic, with its IAM written through
get_policy_document: plain and output-form calls, principals, conditions, and documents
merged from source and override documents."""
import pulumi
import pulumi_aws as aws

caller = aws.get_caller_identity()
topic = aws.sns.Topic("events")
queue = aws.sqs.Queue("jobs")

assume = aws.iam.get_policy_document(statements=[aws.iam.GetPolicyDocumentStatementArgs(
    actions=["sts:AssumeRole"],
    principals=[aws.iam.GetPolicyDocumentStatementPrincipalArgs(
        type="Service", identifiers=["ecs-tasks.amazonaws.com"])],
    conditions=[aws.iam.GetPolicyDocumentStatementConditionArgs(
        test="StringEquals", variable="aws:SourceAccount", values=[caller.account_id])],
)])
role = aws.iam.Role("worker", assume_role_policy=assume.json)

# The output form: the document depends on the topic's and the queue's ARNs.
work = aws.iam.get_policy_document_output(statements=[
    aws.iam.GetPolicyDocumentStatementArgs(sid="Publish", actions=["sns:Publish"], resources=[topic.arn]),
    aws.iam.GetPolicyDocumentStatementArgs(sid="Consume",
                                           actions=["sqs:ReceiveMessage", "sqs:DeleteMessage"],
                                           resources=[queue.arn]),
])
aws.iam.RolePolicy("worker-work", role=role.id, policy=work.json)

# A base document, extended and overridden: the override's "Logs" statement replaces the
# base one, and the override's wildcard statement is what a reviewer must see.
base = aws.iam.get_policy_document(statements=[aws.iam.GetPolicyDocumentStatementArgs(
    sid="Logs", actions=["logs:PutLogEvents"],
    resources=[f"arn:aws:logs:us-east-1:{caller.account_id}:log-group:/worker:*"])])
override = aws.iam.get_policy_document(statements=[
    aws.iam.GetPolicyDocumentStatementArgs(sid="Logs", actions=["logs:PutLogEvents", "logs:CreateLogStream"],
                                           resources=[f"arn:aws:logs:us-east-1:{caller.account_id}:log-group:/worker:*"]),
    aws.iam.GetPolicyDocumentStatementArgs(sid="Debug", actions=["*"], resources=["*"]),
])
merged = aws.iam.get_policy_document(source_policy_documents=[base.json],
                                     override_policy_documents=[override.json])
aws.iam.Policy("worker-debug", policy=merged.json)

# The key policy: the account root may administer the key (AWS's default).
key_policy = aws.iam.get_policy_document(statements=[aws.iam.GetPolicyDocumentStatementArgs(
    actions=["kms:*"], resources=["*"],
    principals=[aws.iam.GetPolicyDocumentStatementPrincipalArgs(
        type="AWS", identifiers=[f"arn:aws:iam::{caller.account_id}:root"])])])
aws.kms.Key("events-key", policy=key_policy.json, enable_key_rotation=True, deletion_window_in_days=30)

pulumi.export("topic", topic.arn)
