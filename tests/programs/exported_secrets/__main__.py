"""A GraphQL API with an API key, and a deploy user with an access key. The access key id and the
API's URL are fine to export; exporting the secret access key and the API key are the defects
(stack outputs are readable by everyone who can read the stack)."""
import pulumi
import pulumi_aws as aws

api = aws.appsync.GraphQLApi("catalog", authentication_type="API_KEY", name="catalog")
api_key = aws.appsync.ApiKey("catalog-client", api_id=api.id)
deployer = aws.iam.User("deployer")
access = aws.iam.AccessKey("deployer", user=deployer.name)

pulumi.export("graphqlUrl", api.uris["GRAPHQL"])
pulumi.export("accessKeyId", access.id)
pulumi.export("secretAccessKey", access.secret)        # the defect
pulumi.export("clientApiKey", api_key.key)              # the defect
