locals {
  via_cloudfront = var.cloudfront_domain_name != ""
  primary_target = local.via_cloudfront ? { name = var.cloudfront_domain_name, zone = var.cloudfront_zone_id } : { name = var.alb_dns_name, zone = var.alb_zone_id }
}

# origin.<domain>: the ALB, the name on its certificate that CloudFront
# connects to.
resource "aws_route53_record" "origin" {
  zone_id = var.zone_id
  name    = var.origin_domain_name
  type    = "A"

  alias {
    name                   = var.alb_dns_name
    zone_id                = var.alb_zone_id
    evaluate_target_health = true
  }
}

# The public name: CloudFront where it fronts the app (staging, prod),
# otherwise the ALB (dev; its certificate carries this name too). No DNS
# failover: the site is HTTPS-only with HSTS preload, so a failover target
# must serve HTTPS for this name, and two CloudFront distributions cannot
# share it. CloudFront itself shows the maintenance page when the ALB fails
# (modules/frontend).
resource "aws_route53_record" "app" {
  zone_id = var.zone_id
  name    = var.domain_name
  type    = "A"

  alias {
    name                   = local.primary_target.name
    zone_id                = local.primary_target.zone
    evaluate_target_health = !local.via_cloudfront
  }
}

# What users see: liveness (/healthz: the process answers; a database
# blip is not an outage of the site) of the public name, through CloudFront
# where it fronts the app. Its status is a CloudWatch metric
# (AWS/Route53 HealthCheckStatus) for dashboards and alarms.
resource "aws_route53_health_check" "app" {
  fqdn              = var.domain_name
  type              = "HTTPS"
  port              = 443
  resource_path     = var.health_check_path
  request_interval  = 30
  failure_threshold = 3
  measure_latency   = true
  tags              = merge(var.tags, { Name = "${var.name}-healthz" })
}
