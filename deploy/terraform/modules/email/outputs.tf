output "identity_arn" {
  description = "SES domain identity."
  value       = aws_sesv2_email_identity.domain.arn
}

output "configuration_set_name" {
  description = "Configuration set every message names (SES_CONFIGURATION_SET)."
  value       = aws_sesv2_configuration_set.this.configuration_set_name
}

output "events_topic_arn" {
  description = "SNS topic of bounces, complaints, rejections and delays."
  value       = aws_sns_topic.events.arn
}

output "from_address" {
  description = "Sender address (MAIL_FROM's address)."
  value       = "no-reply@${var.domain_name}"
}
