locals {
  s3_origin_id  = "s3-site"
  alb_origin_id = "alb-app"
  group_id      = "site-with-failover"

  # AWS managed policies.
  caching_optimized_policy_id  = "658327ea-f89d-4fab-a63d-7e88639e58f6"
  caching_disabled_policy_id   = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"
  all_viewer_except_host_id    = "b689b0a8-53d0-40ab-baf2-68738e2966ac"
  cloudfront_hosted_zone_id    = "Z2FDTNDATAQYW2"
  failover_status_codes        = [500, 502, 503, 504, 403, 404]
  maintenance_error_codes      = [502, 504]
  cloudfront_minimum_tls_level = "TLSv1.2_2021"
}

resource "aws_cloudfront_origin_access_control" "this" {
  count = var.cloudfront_enabled ? 1 : 0

  name                              = "${var.name}-site"
  description                       = "CloudFront reads the ${var.name} site bucket"
  origin_access_control_origin_type = "s3"
  signing_behavior                  = "always"
  signing_protocol                  = "sigv4"
}

resource "aws_cloudfront_response_headers_policy" "security" {
  count = var.cloudfront_enabled ? 1 : 0

  name = "${var.name}-security-headers"

  security_headers_config {
    strict_transport_security {
      access_control_max_age_sec = 63072000
      include_subdomains         = true
      preload                    = true
      override                   = true
    }
    content_type_options {
      override = true
    }
    frame_options {
      frame_option = "DENY"
      override     = true
    }
    referrer_policy {
      referrer_policy = "strict-origin-when-cross-origin"
      override        = true
    }
    xss_protection {
      protection = true
      mode_block = true
      override   = true
    }
    content_security_policy {
      content_security_policy = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
      override                = true
    }
  }
}

#tfsec:ignore:aws-cloudfront-enable-logging Access logs are written to the CDN log bucket below (logging_config); tfsec cannot see through the count.
resource "aws_cloudfront_distribution" "this" {
  count = var.cloudfront_enabled ? 1 : 0

  enabled             = true
  is_ipv6_enabled     = true
  comment             = "${var.name} web app and API"
  default_root_object = "index.html"
  aliases             = [var.domain_name]
  price_class         = "PriceClass_100"
  web_acl_id          = var.waf_enabled ? aws_wafv2_web_acl.this[0].arn : null
  http_version        = "http2and3"

  origin {
    origin_id                = local.s3_origin_id
    domain_name              = aws_s3_bucket.site[0].bucket_regional_domain_name
    origin_access_control_id = aws_cloudfront_origin_access_control.this[0].id
  }

  # The app embeds the same web build, so the ALB is the failover origin
  # for the static site as well as the origin of /api/*.
  origin {
    origin_id   = local.alb_origin_id
    domain_name = var.api_origin_domain

    custom_origin_config {
      http_port              = 80
      https_port             = 443
      origin_protocol_policy = "https-only"
      origin_ssl_protocols   = ["TLSv1.2"]
    }
  }

  origin_group {
    origin_id = local.group_id

    failover_criteria {
      status_codes = local.failover_status_codes
    }

    member {
      origin_id = local.s3_origin_id
    }

    member {
      origin_id = local.alb_origin_id
    }
  }

  default_cache_behavior {
    target_origin_id           = local.group_id
    viewer_protocol_policy     = "redirect-to-https"
    allowed_methods            = ["GET", "HEAD", "OPTIONS"]
    cached_methods             = ["GET", "HEAD"]
    compress                   = true
    cache_policy_id            = local.caching_optimized_policy_id
    response_headers_policy_id = aws_cloudfront_response_headers_policy.security[0].id
  }

  # The API is never cached and gets every viewer header but Host.
  ordered_cache_behavior {
    path_pattern               = "/api/*"
    target_origin_id           = local.alb_origin_id
    viewer_protocol_policy     = "https-only"
    allowed_methods            = ["GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"]
    cached_methods             = ["GET", "HEAD"]
    compress                   = true
    cache_policy_id            = local.caching_disabled_policy_id
    origin_request_policy_id   = local.all_viewer_except_host_id
    response_headers_policy_id = aws_cloudfront_response_headers_policy.security[0].id
  }

  # Liveness of the ALB origin through the edge, for the Route 53 health
  # check of the public name (modules/dns): never cached.
  ordered_cache_behavior {
    path_pattern             = "/healthz"
    target_origin_id         = local.alb_origin_id
    viewer_protocol_policy   = "https-only"
    allowed_methods          = ["GET", "HEAD"]
    cached_methods           = ["GET", "HEAD"]
    cache_policy_id          = local.caching_disabled_policy_id
    origin_request_policy_id = local.all_viewer_except_host_id
  }

  # The maintenance page comes from S3 alone, never through the ALB that
  # has failed.
  dynamic "ordered_cache_behavior" {
    for_each = var.maintenance_page ? [1] : []
    content {
      path_pattern               = "/maintenance/*"
      target_origin_id           = local.s3_origin_id
      viewer_protocol_policy     = "redirect-to-https"
      allowed_methods            = ["GET", "HEAD"]
      cached_methods             = ["GET", "HEAD"]
      cache_policy_id            = local.caching_optimized_policy_id
      response_headers_policy_id = aws_cloudfront_response_headers_policy.security[0].id
    }
  }

  # No distribution-wide rewrite of 403/404 to the SPA (it would answer
  # /api/* 404s with the web page and 200): deep links that S3 does not
  # have fail over to the ALB (origin group above), which serves the SPA.
  # Only gateway failures of the origin — the ALB unreachable (502) or
  # timing out (504), which the app itself never answers — show the
  # maintenance page, with status 503.
  dynamic "custom_error_response" {
    for_each = var.maintenance_page ? local.maintenance_error_codes : []
    content {
      error_code            = custom_error_response.value
      response_code         = 503
      response_page_path    = "/maintenance/index.html"
      error_caching_min_ttl = 10
    }
  }

  restrictions {
    geo_restriction {
      restriction_type = "none"
    }
  }

  viewer_certificate {
    acm_certificate_arn      = aws_acm_certificate_validation.cdn[0].certificate_arn
    ssl_support_method       = "sni-only"
    minimum_protocol_version = local.cloudfront_minimum_tls_level
  }

  logging_config {
    bucket          = aws_s3_bucket.cdn_logs[0].bucket_domain_name
    prefix          = "cloudfront/"
    include_cookies = false
  }

  tags = var.tags
}

#tfsec:ignore:aws-s3-enable-bucket-logging This bucket is itself the CDN access-log destination.
#tfsec:ignore:aws-s3-encryption-customer-key CloudFront standard logging cannot write to SSE-KMS buckets.
resource "aws_s3_bucket" "cdn_logs" {
  count = var.cloudfront_enabled ? 1 : 0

  bucket_prefix = "${var.name}-cdn-logs-"
  tags          = var.tags
}

# CloudFront standard logging writes through ACLs.
resource "aws_s3_bucket_ownership_controls" "cdn_logs" {
  count  = var.cloudfront_enabled ? 1 : 0
  bucket = aws_s3_bucket.cdn_logs[0].id
  rule {
    object_ownership = "BucketOwnerPreferred"
  }
}

resource "aws_s3_bucket_public_access_block" "cdn_logs" {
  count                   = var.cloudfront_enabled ? 1 : 0
  bucket                  = aws_s3_bucket.cdn_logs[0].id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_versioning" "cdn_logs" {
  count  = var.cloudfront_enabled ? 1 : 0
  bucket = aws_s3_bucket.cdn_logs[0].id
  versioning_configuration {
    status = "Enabled"
  }
}

#tfsec:ignore:aws-s3-encryption-customer-key CloudFront standard logging cannot write to SSE-KMS buckets.
resource "aws_s3_bucket_server_side_encryption_configuration" "cdn_logs" {
  count  = var.cloudfront_enabled ? 1 : 0
  bucket = aws_s3_bucket.cdn_logs[0].id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "cdn_logs" {
  count  = var.cloudfront_enabled ? 1 : 0
  bucket = aws_s3_bucket.cdn_logs[0].id
  rule {
    id     = "expire-cdn-logs"
    status = "Enabled"
    filter {}
    expiration {
      days = var.log_retention_days
    }
    noncurrent_version_expiration {
      noncurrent_days = 30
    }
  }
}
