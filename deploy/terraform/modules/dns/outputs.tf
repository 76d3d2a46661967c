output "health_check_id" {
  description = "Route 53 health check of the public name."
  value       = aws_route53_health_check.app.id
}

output "app_fqdn" {
  description = "Public name of the app."
  value       = var.domain_name
}
