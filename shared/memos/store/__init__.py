"""DynamoDB and S3 persistence; never sees protobuf or HTTP."""
