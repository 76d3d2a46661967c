data "aws_caller_identity" "current" {}

data "aws_region" "current" {}

# One customer-managed key per environment encrypts the app secret, the
# SecureString parameters, the log groups and the alarm topic.
resource "aws_kms_key" "this" {
  description             = "${var.name} application data key"
  enable_key_rotation     = true
  deletion_window_in_days = var.kms_deletion_window_days
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "AccountAdministers"
        Effect    = "Allow"
        Principal = { AWS = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:root" }
        Action    = "kms:*"
        Resource  = "*"
      },
      {
        Sid       = "CloudWatchLogsEncrypt"
        Effect    = "Allow"
        Principal = { Service = "logs.${data.aws_region.current.name}.amazonaws.com" }
        Action    = ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"]
        Resource  = "*"
        Condition = {
          ArnLike = { "kms:EncryptionContext:aws:logs:arn" = "arn:aws:logs:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:*" }
        }
      },
      {
        Sid       = "AlarmsPublishToEncryptedTopic"
        Effect    = "Allow"
        Principal = { Service = ["cloudwatch.amazonaws.com", "events.amazonaws.com", "codestar-notifications.amazonaws.com", "ses.amazonaws.com"] }
        Action    = ["kms:Decrypt", "kms:GenerateDataKey*"]
        Resource  = "*"
      },
    ]
  })
  tags = merge(var.tags, { Name = "${var.name}-app" })
}

resource "aws_kms_alias" "this" {
  name          = "alias/${var.name}-app"
  target_key_id = aws_kms_key.this.key_id
}

# The application secret: a JSON object whose keys are environment-variable
# names (JWT_SIGNING_KEY, COINGECKO_API_KEY, ...). Values are put in by an
# operator (docs/runbooks/secret-rotation.md), never by Terraform, so they
# never reach the state file.
resource "aws_secretsmanager_secret" "app" {
  name                    = "${var.name}/app"
  description             = "BankApp settings secret (JSON: JWT_SIGNING_KEY, COINGECKO_API_KEY, ...)"
  kms_key_id              = aws_kms_key.this.arn
  recovery_window_in_days = var.recovery_window_days
  tags                    = var.tags
}
