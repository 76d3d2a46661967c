# Bootstrap: the S3 bucket that holds every environment's Terraform state.
# Run once per account with local state (see docs/deploy.md); the envs then
# lock their state in it with S3-native lock files (use_lockfile).

variable "region" {
  description = "Region of the state bucket."
  type        = string
  default     = "us-east-1"
}

variable "state_reader_arns" {
  description = "Extra principals (e.g. a CI plan role) allowed to read state."
  type        = list(string)
  default     = []
}

provider "aws" {
  region = var.region

  default_tags {
    tags = {
      Project   = "bankapp"
      ManagedBy = "terraform"
      Component = "terraform-state"
    }
  }
}

data "aws_caller_identity" "current" {}

resource "aws_kms_key" "state" {
  description             = "BankApp Terraform state"
  enable_key_rotation     = true
  deletion_window_in_days = 30
}

resource "aws_kms_alias" "state" {
  name          = "alias/bankapp-tfstate"
  target_key_id = aws_kms_key.state.key_id
}

#tfsec:ignore:aws-s3-enable-bucket-logging CloudTrail (modules/audit) records every state read and write.
resource "aws_s3_bucket" "state" {
  bucket = "bankapp-tfstate-${data.aws_caller_identity.current.account_id}"

  lifecycle {
    prevent_destroy = true
  }
}

resource "aws_s3_bucket_versioning" "state" {
  bucket = aws_s3_bucket.state.id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "state" {
  bucket = aws_s3_bucket.state.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.state.arn
    }
    bucket_key_enabled = true
  }
}

resource "aws_s3_bucket_public_access_block" "state" {
  bucket                  = aws_s3_bucket.state.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_lifecycle_configuration" "state" {
  bucket = aws_s3_bucket.state.id
  rule {
    id     = "keep-old-state-versions-a-year"
    status = "Enabled"
    filter {}
    noncurrent_version_expiration {
      noncurrent_days = 365
    }
  }
}

resource "aws_s3_bucket_policy" "state" {
  bucket = aws_s3_bucket.state.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = concat(
      [{
        Sid       = "DenyInsecureTransport"
        Effect    = "Deny"
        Principal = "*"
        Action    = "s3:*"
        Resource  = [aws_s3_bucket.state.arn, "${aws_s3_bucket.state.arn}/*"]
        Condition = { Bool = { "aws:SecureTransport" = "false" } }
      }],
      [for arn in var.state_reader_arns : {
        Sid       = "StateReader${index(var.state_reader_arns, arn)}"
        Effect    = "Allow"
        Principal = { AWS = arn }
        Action    = ["s3:GetObject", "s3:ListBucket"]
        Resource  = [aws_s3_bucket.state.arn, "${aws_s3_bucket.state.arn}/*"]
      }],
    )
  })
}

output "backend_bucket" {
  description = "Put this in envs/*/backend.hcl as bucket."
  value       = aws_s3_bucket.state.id
}

output "kms_key_arn" {
  description = "Key that encrypts the state."
  value       = aws_kms_key.state.arn
}
