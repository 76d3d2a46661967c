variable "name" {
  description = "Name prefix, e.g. bankapp-prod."
  type        = string
}

variable "maintenance_page" {
  description = "Show a static maintenance page (from S3, status 503) when the ALB origin fails with 502/504."
  type        = bool
  default     = true
}

variable "cloudfront_enabled" {
  description = "Serve through CloudFront (seed: off in dev, on in staging and prod). Off: no site bucket, the ALB serves the app's embedded web build."
  type        = bool
}

variable "waf_enabled" {
  description = "Attach the WAFv2 web ACL (seed: prod)."
  type        = bool
}

variable "intelligent_tiering" {
  description = "Move current objects to Intelligent-Tiering (seed: prod)."
  type        = bool
}

variable "glacier_after_days" {
  description = "Move old (noncurrent) versions to Glacier after this many days (seed: 90)."
  type        = number
  default     = 90
}

variable "noncurrent_expiry_days" {
  description = "Delete noncurrent versions after this many days."
  type        = number
  default     = 365
}

variable "domain_name" {
  description = "Public name of the web app (CloudFront alias)."
  type        = string
}

variable "zone_id" {
  description = "Route 53 zone that validates the CloudFront certificate."
  type        = string
}

variable "api_origin_domain" {
  description = "DNS name of the ALB origin (matches the ALB certificate)."
  type        = string
}

variable "waf_rate_limit" {
  description = "Requests per 5 minutes per IP before the rate-based rule blocks."
  type        = number
  default     = 2000
}

variable "kms_key_arn" {
  description = "Key that encrypts the WAF log group."
  type        = string
}

variable "log_retention_days" {
  description = "Days WAF and CDN logs are kept."
  type        = number
  default     = 90
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}
