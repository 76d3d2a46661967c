terraform {
  required_version = ">= 1.10.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "5.80.0"
    }
  }

  # Partial configuration from backend.hcl: S3 state with S3-native locking
  # (use_lockfile), in the bucket that ../../bootstrap makes.
  backend "s3" {}
}
