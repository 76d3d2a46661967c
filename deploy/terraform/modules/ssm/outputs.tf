output "path" {
  description = "Parameter path the app reads (SSM_PARAMETER_PATH)."
  value       = local.path
}

output "path_arn_pattern" {
  description = "Parameter ARN path, without account, for IAM policies (prefix with arn:aws:ssm:REGION:ACCOUNT:parameter)."
  value       = "${local.path}/*"
}
