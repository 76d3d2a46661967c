# CloudFront certificates must live in us-east-1, where these roots run.
resource "aws_acm_certificate" "cdn" {
  count = var.cloudfront_enabled ? 1 : 0

  domain_name       = var.domain_name
  validation_method = "DNS"
  tags              = merge(var.tags, { Name = var.domain_name })

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_route53_record" "cdn_validation" {
  count = var.cloudfront_enabled ? 1 : 0

  zone_id         = var.zone_id
  allow_overwrite = true
  ttl             = 60
  name            = one(aws_acm_certificate.cdn[0].domain_validation_options[*].resource_record_name)
  type            = one(aws_acm_certificate.cdn[0].domain_validation_options[*].resource_record_type)
  records         = [one(aws_acm_certificate.cdn[0].domain_validation_options[*].resource_record_value)]
}

resource "aws_acm_certificate_validation" "cdn" {
  count = var.cloudfront_enabled ? 1 : 0

  certificate_arn         = aws_acm_certificate.cdn[0].arn
  validation_record_fqdns = [aws_route53_record.cdn_validation[0].fqdn]
}
