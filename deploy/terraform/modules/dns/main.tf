locals {
  via_cloudfront = var.cloudfront_domain_name != ""
  primary_target = local.via_cloudfront ? { name = var.cloudfront_domain_name, zone = var.cloudfront_zone_id } : { name = var.alb_dns_name, zone = var.alb_zone_id }
}

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

resource "aws_route53_health_check" "app" {
  fqdn              = var.origin_domain_name
  type              = "HTTPS"
  port              = 443
  resource_path     = var.health_check_path
  request_interval  = 30
  failure_threshold = 3
  measure_latency   = true
  tags              = merge(var.tags, { Name = "${var.name}-readyz" })
}

resource "aws_route53_record" "app" {
  count = var.failover_enabled ? 0 : 1

  zone_id = var.zone_id
  name    = var.domain_name
  type    = "A"

  alias {
    name                   = local.primary_target.name
    zone_id                = local.primary_target.zone
    evaluate_target_health = !local.via_cloudfront
  }
}

resource "aws_route53_record" "app_primary" {
  count = var.failover_enabled ? 1 : 0

  zone_id         = var.zone_id
  name            = var.domain_name
  type            = "A"
  set_identifier  = "primary"
  health_check_id = aws_route53_health_check.app.id

  failover_routing_policy {
    type = "PRIMARY"
  }

  alias {
    name                   = local.primary_target.name
    zone_id                = local.primary_target.zone
    evaluate_target_health = false
  }
}

resource "aws_route53_record" "app_secondary" {
  count = var.failover_enabled ? 1 : 0

  zone_id        = var.zone_id
  name           = var.domain_name
  type           = "A"
  set_identifier = "maintenance"

  failover_routing_policy {
    type = "SECONDARY"
  }

  alias {
    name                   = aws_s3_bucket_website_configuration.maintenance[0].website_domain
    zone_id                = aws_s3_bucket.maintenance[0].hosted_zone_id
    evaluate_target_health = false
  }
}
