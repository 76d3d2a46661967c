# The web app's static build. SSE-S3 (seed), versioned, with the seed's
# lifecycle: old versions go to Glacier after 90 days; prod keeps current
# objects in Intelligent-Tiering.
#tfsec:ignore:aws-s3-encryption-customer-key The seed specifies SSE-S3 for the public static build; nothing secret is stored here.
#tfsec:ignore:aws-s3-enable-bucket-logging CloudFront access logs (staging/prod) record every read of this bucket.
resource "aws_s3_bucket" "site" {
  bucket_prefix = "${var.name}-web-"
  force_destroy = false
  tags          = var.tags
}

resource "aws_s3_bucket_versioning" "site" {
  bucket = aws_s3_bucket.site.id
  versioning_configuration {
    status = "Enabled"
  }
}

#tfsec:ignore:aws-s3-encryption-customer-key The seed specifies SSE-S3 for the static build, which is public content (and the dev S3 website cannot serve KMS objects).
resource "aws_s3_bucket_server_side_encryption_configuration" "site" {
  bucket = aws_s3_bucket.site.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

resource "aws_s3_bucket_ownership_controls" "site" {
  bucket = aws_s3_bucket.site.id
  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "site" {
  bucket = aws_s3_bucket.site.id

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

# With CloudFront (staging/prod) the bucket is private and only the
# distribution reads it. Without it (dev, seed: "direct S3 access") the
# bucket is an S3 website that anyone may read.
resource "aws_s3_bucket_public_access_block" "site" {
  bucket                  = aws_s3_bucket.site.id
  block_public_acls       = true
  ignore_public_acls      = true
  block_public_policy     = var.cloudfront_enabled #tfsec:ignore:aws-s3-block-public-policy Dev only: the seed serves the dev frontend directly from S3.
  restrict_public_buckets = var.cloudfront_enabled #tfsec:ignore:aws-s3-no-public-buckets Dev only: the seed serves the dev frontend directly from S3.
}

resource "aws_s3_bucket_website_configuration" "site" {
  count  = var.cloudfront_enabled ? 0 : 1
  bucket = aws_s3_bucket.site.id

  index_document {
    suffix = "index.html"
  }

  error_document {
    key = "index.html"
  }
}

locals {
  site_policy_private = {
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "DenyInsecureTransport"
        Effect    = "Deny"
        Principal = "*"
        Action    = "s3:*"
        Resource  = [aws_s3_bucket.site.arn, "${aws_s3_bucket.site.arn}/*"]
        Condition = { Bool = { "aws:SecureTransport" = "false" } }
      },
      {
        Sid       = "CloudFrontReads"
        Effect    = "Allow"
        Principal = { Service = "cloudfront.amazonaws.com" }
        Action    = "s3:GetObject"
        Resource  = "${aws_s3_bucket.site.arn}/*"
        Condition = { StringEquals = { "AWS:SourceArn" = one(aws_cloudfront_distribution.this[*].arn) } }
      },
    ]
  }

  # S3 website endpoints speak plain HTTP only, so the dev website cannot
  # carry the TLS-only rule.
  site_policy_website = {
    Version = "2012-10-17"
    Statement = [{
      Sid       = "PublicWebsiteRead"
      Effect    = "Allow"
      Principal = "*"
      Action    = "s3:GetObject"
      Resource  = "${aws_s3_bucket.site.arn}/*"
    }]
  }
}

resource "aws_s3_bucket_policy" "site" {
  bucket     = aws_s3_bucket.site.id
  policy     = var.cloudfront_enabled ? jsonencode(local.site_policy_private) : jsonencode(local.site_policy_website)
  depends_on = [aws_s3_bucket_public_access_block.site]
}
