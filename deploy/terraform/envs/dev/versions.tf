terraform {
  required_version = ">= 1.9.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "5.80.0"
    }
  }

  # Partial configuration: bucket, key, region and the lock table come from
  # backend.hcl (terraform init -backend-config=backend.hcl). The bucket and
  # the table are made by ../../bootstrap.
  backend "s3" {}
}
