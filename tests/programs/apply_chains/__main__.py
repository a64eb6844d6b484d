"""A function whose IAM and environment are assembled with apply chains: some from outputs the
runner models (ARNs, names), some from outputs it cannot know before deployment (a database
endpoint, an availability zone list), which must stay unknown, never become None."""
import json

import pulumi
import pulumi_aws as aws

zones = aws.get_availability_zones(state="available")
bucket = aws.s3.BucketV2("artifacts")
topic = aws.sns.Topic("alerts")
db = aws.rds.Instance("app-db", engine="postgres", instance_class="db.t4g.micro", allocated_storage=20,
                      username="app", manage_master_user_password=True, skip_final_snapshot=True,
                      availability_zone=zones.names[0])

role = aws.iam.Role("fn", assume_role_policy=json.dumps({
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"Service": "lambda.amazonaws.com"}}],
}))
aws.iam.RolePolicy("fn-access", role=role.id, policy=pulumi.Output.all(bucket.arn, topic.arn).apply(
    lambda arns: json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": f"{arns[0]}/*"},
        {"Effect": "Allow", "Action": "sns:Publish", "Resource": arns[1]},
    ]})))
# The master user secret's ARN exists only once RDS has created it: unknown here.
aws.iam.RolePolicy("fn-db-secret", role=role.id, policy=db.master_user_secrets.apply(
    lambda secrets: json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "secretsmanager:GetSecretValue", "Resource": secrets[0]["secret_arn"]},
    ]})))

aws.lambda_.Function(
    "fn", role=role.arn, runtime="python3.12", handler="app.handler",
    code=pulumi.AssetArchive({"app.py": pulumi.StringAsset("def handler(e, c):\n    return None\n")}),
    environment=aws.lambda_.FunctionEnvironmentArgs(variables={
        "BUCKET": bucket.bucket,
        "TOPIC_ARN": topic.arn,
        "DATABASE_URL": pulumi.Output.concat("postgresql://app@", db.endpoint, "/app"),
    }))
pulumi.export("bucket", bucket.bucket)

# A plain function call whose result the runner cannot know; a flag written as text, as some
# programs do; and the region from the provider's configuration.
ami = aws.ec2.get_ami(most_recent="true", owners=["amazon"],
                      filters=[aws.ec2.GetAmiFilterArgs(name="name", values=["al2023-ami-*-arm64"])])
aws.ec2.Instance("bastion", ami=ami.id, instance_type="t4g.micro", availability_zone=aws.config.region + "a")
