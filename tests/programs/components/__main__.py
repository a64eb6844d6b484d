"""Two kinds of component. `ServiceRole` is written in this program: its children register
under mocks like any resource. `Cluster` stands for a multi-language component (awsx, eks):
its children are created by the component's own plugin, which does not run under mocks."""
import json

import pulumi
import pulumi_aws as aws


class ServiceRole(pulumi.ComponentResource):
    def __init__(self, name, service, actions, opts=None):
        super().__init__("examples:index:ServiceRole", name, None, opts)
        self.role = aws.iam.Role(f"{name}-role", assume_role_policy=json.dumps({
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"Service": service}}],
        }), opts=pulumi.ResourceOptions(parent=self))
        aws.iam.RolePolicy(f"{name}-policy", role=self.role.id, policy=json.dumps({
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": actions, "Resource": "*"}],
        }), opts=pulumi.ResourceOptions(parent=self))
        self.register_outputs({"roleArn": self.role.arn})


class Cluster(pulumi.ComponentResource):
    """How a multi-language component's SDK registers it: a remote component."""

    def __init__(self, name, opts=None):
        super().__init__("eks:index:Cluster", name, {"kubeconfig": None, "instanceRoles": None}, opts, remote=True)


reporting = ServiceRole("reporting", "lambda.amazonaws.com", ["cloudwatch:PutMetricData"])
admin = ServiceRole("ops", "ec2.amazonaws.com", ["s3:*"])
cluster = Cluster("cluster")
pulumi.export("reportingRole", reporting.role.arn)
