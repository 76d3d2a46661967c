output "kms_key_arn" {
  description = "ARN of the environment's customer-managed key."
  value       = aws_kms_key.this.arn
}

output "app_secret_arn" {
  description = "ARN of the application secret."
  value       = aws_secretsmanager_secret.app.arn
}

output "app_secret_name" {
  description = "Name of the application secret (AWS_SECRETS_MANAGER_SECRET_ID)."
  value       = aws_secretsmanager_secret.app.name
}
