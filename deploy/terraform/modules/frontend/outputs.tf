output "bucket_name" {
  description = "Site bucket."
  value       = aws_s3_bucket.site.id
}

output "bucket_arn" {
  description = "Site bucket ARN."
  value       = aws_s3_bucket.site.arn
}

output "website_endpoint" {
  description = "S3 website endpoint (dev, CloudFront off)."
  value       = var.cloudfront_enabled ? "" : aws_s3_bucket_website_configuration.site[0].website_endpoint
}

output "website_domain" {
  description = "S3 website domain for alias records (dev)."
  value       = var.cloudfront_enabled ? "" : aws_s3_bucket_website_configuration.site[0].website_domain
}

output "distribution_id" {
  description = "CloudFront distribution id (empty when off)."
  value       = var.cloudfront_enabled ? aws_cloudfront_distribution.this[0].id : ""
}

output "distribution_arn" {
  description = "CloudFront distribution ARN (empty when off)."
  value       = var.cloudfront_enabled ? aws_cloudfront_distribution.this[0].arn : ""
}

output "distribution_domain_name" {
  description = "CloudFront domain (empty when off)."
  value       = var.cloudfront_enabled ? aws_cloudfront_distribution.this[0].domain_name : ""
}

output "cloudfront_zone_id" {
  description = "Hosted zone of CloudFront aliases."
  value       = local.cloudfront_hosted_zone_id
}

output "web_acl_name" {
  description = "WAF web ACL name (empty when off)."
  value       = var.waf_enabled ? aws_wafv2_web_acl.this[0].name : ""
}

output "summary" {
  description = "Per-environment switches, for tests."
  value = {
    cloudfront          = var.cloudfront_enabled
    waf                 = var.waf_enabled
    intelligent_tiering = var.intelligent_tiering
    glacier_after_days  = var.glacier_after_days
  }
}
