// AwsGuard with every policy mandatory, for `make bench` only.
const { AwsGuard } = require("@pulumi/awsguard");
new AwsGuard({ all: "mandatory" });
