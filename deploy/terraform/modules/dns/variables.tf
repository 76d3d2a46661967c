variable "name" {
  description = "Name prefix, e.g. bankapp-prod."
  type        = string
}

variable "zone_id" {
  description = "Route 53 hosted zone of the environment's domain."
  type        = string
}

variable "domain_name" {
  description = "Public name of the app (e.g. bankapp.example.com)."
  type        = string
}

variable "origin_domain_name" {
  description = "Name of the ALB origin (e.g. origin.bankapp.example.com)."
  type        = string
}

variable "alb_dns_name" {
  description = "ALB DNS name."
  type        = string
}

variable "alb_zone_id" {
  description = "ALB hosted zone id."
  type        = string
}

variable "cloudfront_domain_name" {
  description = "CloudFront domain (empty: the app name points at the ALB)."
  type        = string
  default     = ""
}

variable "cloudfront_zone_id" {
  description = "CloudFront hosted zone id."
  type        = string
  default     = "Z2FDTNDATAQYW2"
}

variable "health_check_path" {
  description = "Path the Route 53 health check requests (liveness)."
  type        = string
  default     = "/healthz"
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}
