# Statements and exports (BLOB_STORE=s3://...): private, KMS-encrypted,
# versioned.
#tfsec:ignore:aws-s3-enable-bucket-logging Object access is recorded by the app's audit log; server access logs would duplicate it.
resource "aws_s3_bucket" "blobs" {
  bucket_prefix = "${local.name}-blobs-"
  force_destroy = false
  tags          = local.tags
}

resource "aws_s3_bucket_public_access_block" "blobs" {
  bucket                  = aws_s3_bucket.blobs.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_versioning" "blobs" {
  bucket = aws_s3_bucket.blobs.id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "blobs" {
  bucket = aws_s3_bucket.blobs.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = module.secrets.kms_key_arn
    }
    bucket_key_enabled = true
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "blobs" {
  bucket = aws_s3_bucket.blobs.id
  rule {
    id     = "old-versions-to-glacier"
    status = "Enabled"
    filter {}
    noncurrent_version_transition {
      noncurrent_days = var.frontend.glacier_after_days
      storage_class   = "GLACIER"
    }
    noncurrent_version_expiration {
      noncurrent_days = 365
    }
  }
}
