locals {
  path = "/bankapp/${var.environment}"
}

# Plain settings: one parameter per environment variable, named after it, so
# internal/awsconfig maps /bankapp/<env>/NAME to NAME.
resource "aws_ssm_parameter" "setting" {
  for_each = var.settings

  name        = "${local.path}/${each.key}"
  description = "BankApp setting ${each.key}"
  type        = "String"
  value       = each.value
  tags        = var.tags
}

# Feature flags live one level down (/bankapp/<env>/features/NAME); the
# app reads the path recursively.
resource "aws_ssm_parameter" "feature" {
  for_each = var.feature_flags

  name        = "${local.path}/features/${each.key}"
  description = "BankApp feature flag ${each.key}"
  type        = "String"
  value       = tostring(each.value)
  tags        = var.tags
}
