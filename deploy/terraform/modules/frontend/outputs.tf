output "bucket_name" {
  description = "Site bucket (empty without CloudFront: the app serves its embedded build)."
  value       = var.cloudfront_enabled ? aws_s3_bucket.site[0].id : ""
}

output "bucket_arn" {
  description = "Site bucket ARN (empty without CloudFront)."
  value       = var.cloudfront_enabled ? aws_s3_bucket.site[0].arn : ""
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
    maintenance_page    = var.cloudfront_enabled && var.maintenance_page
    waf                 = var.waf_enabled
    intelligent_tiering = var.intelligent_tiering
    glacier_after_days  = var.glacier_after_days
  }
}
