"""CDK stacks and constructs for memos-serverless."""
