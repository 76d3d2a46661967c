# The web app's static build behind CloudFront (staging, prod). SSE-S3
# (seed), versioned, with the seed's lifecycle: old versions go to Glacier
# after 90 days; prod keeps current objects in Intelligent-Tiering.
#
# Without CloudFront (dev) there is no bucket: an S3 website endpoint speaks
# plain HTTP only and cannot carry the HTTPS name, so dev's name aliases the
# ALB, and the app serves the web build embedded in its image
# (docs/decisions.md). The seed's "direct S3 access" for dev is dropped.
#tfsec:ignore:aws-s3-encryption-customer-key The seed specifies SSE-S3 for the public static build; nothing secret is stored here.
#tfsec:ignore:aws-s3-enable-bucket-logging CloudFront access logs (staging/prod) record every read of this bucket.
resource "aws_s3_bucket" "site" {
  count = var.cloudfront_enabled ? 1 : 0

  bucket_prefix = "${var.name}-web-"
  force_destroy = false
  tags          = var.tags
}

resource "aws_s3_bucket_versioning" "site" {
  count  = var.cloudfront_enabled ? 1 : 0
  bucket = aws_s3_bucket.site[0].id
  versioning_configuration {
    status = "Enabled"
  }
}

#tfsec:ignore:aws-s3-encryption-customer-key The seed specifies SSE-S3 for the static build, which is public content.
resource "aws_s3_bucket_server_side_encryption_configuration" "site" {
  count  = var.cloudfront_enabled ? 1 : 0
  bucket = aws_s3_bucket.site[0].id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

resource "aws_s3_bucket_ownership_controls" "site" {
  count  = var.cloudfront_enabled ? 1 : 0
  bucket = aws_s3_bucket.site[0].id
  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "site" {
  count  = var.cloudfront_enabled ? 1 : 0
  bucket = aws_s3_bucket.site[0].id

  rule {
    id     = "old-versions-to-glacier"
    status = "Enabled"
    filter {}

    noncurrent_version_transition {
      noncurrent_days = var.glacier_after_days
      storage_class   = "GLACIER"
    }

    noncurrent_version_expiration {
      noncurrent_days = var.noncurrent_expiry_days
    }

    abort_incomplete_multipart_upload {
      days_after_initiation = 7
    }
  }

  dynamic "rule" {
    for_each = var.intelligent_tiering ? [1] : []
    content {
      id     = "current-to-intelligent-tiering"
      status = "Enabled"
      filter {}

      transition {
        days          = 0
        storage_class = "INTELLIGENT_TIERING"
      }
    }
  }
}

# Private: only the distribution reads it.
resource "aws_s3_bucket_public_access_block" "site" {
  count                   = var.cloudfront_enabled ? 1 : 0
  bucket                  = aws_s3_bucket.site[0].id
  block_public_acls       = true
  ignore_public_acls      = true
  block_public_policy     = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_policy" "site" {
  count = var.cloudfront_enabled ? 1 : 0

  bucket = aws_s3_bucket.site[0].id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "DenyInsecureTransport"
        Effect    = "Deny"
        Principal = "*"
        Action    = "s3:*"
        Resource  = [aws_s3_bucket.site[0].arn, "${aws_s3_bucket.site[0].arn}/*"]
        Condition = { Bool = { "aws:SecureTransport" = "false" } }
      },
      {
        Sid       = "CloudFrontReads"
        Effect    = "Allow"
        Principal = { Service = "cloudfront.amazonaws.com" }
        Action    = "s3:GetObject"
        Resource  = "${aws_s3_bucket.site[0].arn}/*"
        Condition = { StringEquals = { "AWS:SourceArn" = aws_cloudfront_distribution.this[0].arn } }
      },
    ]
  })
  depends_on = [aws_s3_bucket_public_access_block.site]
}

# The maintenance page CloudFront shows when the ALB origin fails (502/504,
# cloudfront.tf). The deploy's sync leaves maintenance/ alone.
resource "aws_s3_object" "maintenance" {
  count = var.cloudfront_enabled && var.maintenance_page ? 1 : 0

  bucket        = aws_s3_bucket.site[0].id
  key           = "maintenance/index.html"
  content_type  = "text/html; charset=utf-8"
  cache_control = "no-store"
  content       = "<!doctype html><html lang=\"en\"><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><title>BankApp maintenance</title><h1>BankApp is briefly unavailable</h1><p>Your money is safe. Please try again in a few minutes.</p></html>"
}
