# The master password: a Secrets Manager secret that this module owns (not
# RDS's managed password, which rules out the prod read replica), in the
# JSON shape of AWS's rotation functions, rotated every 30 days by AWS's
# single-user PostgreSQL rotation function. The app reads it for each new
# connection (DATABASE_SECRET_ID, internal/store/credentials.go), so a
# rotation needs no restart. docs/decisions.md explains single-user.

# GetRandomPassword at plan time: the first password only. It reaches the
# state (encrypted, KMS) and becomes useless at the first rotation, which
# runs right after creation (rotate_immediately).
data "aws_secretsmanager_random_password" "initial" {
  password_length     = 40
  exclude_punctuation = true
}

resource "aws_secretsmanager_secret" "master" {
  name                    = "${var.name}/db-master"
  description             = "PostgreSQL master credentials of ${var.name} (rotated; RDS rotation-function format)"
  kms_key_id              = var.kms_key_arn
  recovery_window_in_days = var.secret_recovery_window_days
  tags                    = var.tags
}

resource "aws_secretsmanager_secret_version" "master" {
  secret_id = aws_secretsmanager_secret.master.id
  secret_string = jsonencode({
    engine               = "postgres"
    host                 = aws_db_instance.primary.address
    port                 = aws_db_instance.primary.port
    username             = var.master_username
    password             = data.aws_secretsmanager_random_password.initial.random_password
    dbname               = var.database_name
    dbInstanceIdentifier = var.name
  })

  # Rotation writes the versions from now on; Terraform must not put the
  # first password back.
  lifecycle {
    ignore_changes = [secret_string]
  }
}

data "aws_region" "current" {}

data "aws_partition" "current" {}

# AWS's rotation function from the Serverless Application Repository, in
# the private subnets (it logs in to PostgreSQL to change the password and
# calls Secrets Manager through the NAT gateways).
resource "aws_serverlessapplicationrepository_cloudformation_stack" "rotation" {
  name           = "${var.name}-db-rotation"
  application_id = var.rotation_application_id
  capabilities   = ["CAPABILITY_IAM", "CAPABILITY_RESOURCE_POLICY"]
  parameters = {
    functionName        = "${var.name}-db-rotation"
    endpoint            = "https://secretsmanager.${data.aws_region.current.name}.${data.aws_partition.current.dns_suffix}"
    vpcSubnetIds        = join(",", var.private_subnet_ids)
    vpcSecurityGroupIds = aws_security_group.rotation.id
    kmsKeyArn           = var.kms_key_arn
  }
  tags = var.tags
}

resource "aws_secretsmanager_secret_rotation" "master" {
  secret_id           = aws_secretsmanager_secret.master.id
  rotation_lambda_arn = aws_serverlessapplicationrepository_cloudformation_stack.rotation.outputs["RotationLambdaARN"]
  rotate_immediately  = true

  rotation_rules {
    automatically_after_days = var.rotation_days
  }

  depends_on = [
    aws_secretsmanager_secret_version.master,
    aws_vpc_security_group_egress_rule.rotation_to_rds,
    aws_vpc_security_group_ingress_rule.rds_from_rotation,
    aws_vpc_security_group_egress_rule.rotation_https,
  ]
}

# The rotation function's network: PostgreSQL to RDS, HTTPS to Secrets
# Manager. Not in the seed's seven rules (seedtest lists these three apart).
resource "aws_security_group" "rotation" {
  name        = "${var.name}-db-rotation"
  description = "Secrets Manager rotation function: PostgreSQL to RDS, HTTPS to Secrets Manager"
  vpc_id      = var.vpc_id
  tags        = merge(var.tags, { Name = "${var.name}-db-rotation" })
}

resource "aws_vpc_security_group_egress_rule" "rotation_to_rds" {
  security_group_id            = aws_security_group.rotation.id
  description                  = "PostgreSQL to RDS"
  ip_protocol                  = "tcp"
  from_port                    = 5432
  to_port                      = 5432
  referenced_security_group_id = var.security_group_id
}

#tfsec:ignore:aws-ec2-no-public-egress-sgr The rotation function calls the regional Secrets Manager endpoint through the NAT gateways.
resource "aws_vpc_security_group_egress_rule" "rotation_https" {
  security_group_id = aws_security_group.rotation.id
  description       = "HTTPS to Secrets Manager"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = "0.0.0.0/0"
}

resource "aws_vpc_security_group_ingress_rule" "rds_from_rotation" {
  security_group_id            = var.security_group_id
  description                  = "PostgreSQL from the secret rotation function"
  ip_protocol                  = "tcp"
  from_port                    = 5432
  to_port                      = 5432
  referenced_security_group_id = aws_security_group.rotation.id
}
