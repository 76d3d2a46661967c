# The failover target: a one-page S3 website named after the domain (S3
# website aliases require that name). It holds nothing but the page below.
#tfsec:ignore:aws-s3-enable-bucket-logging A static maintenance page; nothing to audit.
#tfsec:ignore:aws-s3-encryption-customer-key Public static page; SSE-S3 is enough.
resource "aws_s3_bucket" "maintenance" {
  count = var.failover_enabled ? 1 : 0

  bucket = var.domain_name
  tags   = var.tags
}

resource "aws_s3_bucket_versioning" "maintenance" {
  count  = var.failover_enabled ? 1 : 0
  bucket = aws_s3_bucket.maintenance[0].id
  versioning_configuration {
    status = "Enabled"
  }
}

#tfsec:ignore:aws-s3-encryption-customer-key A public static maintenance page; a KMS key would only block anonymous reads.
resource "aws_s3_bucket_server_side_encryption_configuration" "maintenance" {
  count  = var.failover_enabled ? 1 : 0
  bucket = aws_s3_bucket.maintenance[0].id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

#tfsec:ignore:aws-s3-block-public-policy The maintenance page must be publicly readable.
#tfsec:ignore:aws-s3-no-public-buckets The maintenance page must be publicly readable.
resource "aws_s3_bucket_public_access_block" "maintenance" {
  count                   = var.failover_enabled ? 1 : 0
  bucket                  = aws_s3_bucket.maintenance[0].id
  block_public_acls       = true
  ignore_public_acls      = true
  block_public_policy     = false
  restrict_public_buckets = false
}

resource "aws_s3_bucket_website_configuration" "maintenance" {
  count  = var.failover_enabled ? 1 : 0
  bucket = aws_s3_bucket.maintenance[0].id

  index_document {
    suffix = "index.html"
  }
}

resource "aws_s3_object" "maintenance" {
  count = var.failover_enabled ? 1 : 0

  bucket        = aws_s3_bucket.maintenance[0].id
  key           = "index.html"
  content_type  = "text/html"
  cache_control = "no-store"
  content       = "<!doctype html><title>BankApp maintenance</title><h1>BankApp is briefly unavailable</h1><p>Your money is safe. Please try again in a few minutes.</p>"
}

resource "aws_s3_bucket_policy" "maintenance" {
  count  = var.failover_enabled ? 1 : 0
  bucket = aws_s3_bucket.maintenance[0].id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "PublicMaintenancePage"
      Effect    = "Allow"
      Principal = "*"
      Action    = "s3:GetObject"
      Resource  = "${aws_s3_bucket.maintenance[0].arn}/index.html"
    }]
  })

  depends_on = [aws_s3_bucket_public_access_block.maintenance]
}
