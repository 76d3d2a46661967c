# The account's GitHub OIDC provider and the roles of the Terraform workflow
# (.github/workflows/terraform.yml, docs/deploy.md "Terraform from the
# pipeline"). One account per environment: `environment` names it.
#
#   terraform-plan-pr  pull requests: read-only, no secret values (PR plans
#                      run with -refresh=false and without the state lock)
#   terraform-plan     main: read-only plus this environment's database
#                      secret (refresh reads it) and the state lock
#   terraform-apply    the GitHub environment <environment> only (its
#                      required reviewers approve each apply)

variable "github_repository" {
  description = "owner/name of the repository whose workflows plan and apply."
  type        = string
  default     = "bankapp/bankapp"
}

variable "environment" {
  description = "The environment this account holds: dev, staging or prod."
  type        = string
  default     = "dev"

  validation {
    condition     = contains(["dev", "staging", "prod"], var.environment)
    error_message = "environment must be dev, staging or prod."
  }
}

variable "create_github_oidc_provider" {
  description = "Create the account's GitHub OIDC provider (once per account)."
  type        = bool
  default     = true
}

data "aws_partition" "current" {}

resource "aws_iam_openid_connect_provider" "github" {
  count = var.create_github_oidc_provider ? 1 : 0

  url             = "https://token.actions.githubusercontent.com"
  client_id_list  = ["sts.amazonaws.com"]
  thumbprint_list = ["6938fd4d98bab03faadb97b34396831e3780aea1", "1c58a3a8518e8759bf075b76b750d4f2df264fcd"]
}

locals {
  oidc_arn = "arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:oidc-provider/token.actions.githubusercontent.com"
  name     = "bankapp-${var.environment}"

  trust = { for role, subject in {
    plan-pr = "repo:${var.github_repository}:pull_request"
    plan    = "repo:${var.github_repository}:ref:refs/heads/main"
    apply   = "repo:${var.github_repository}:environment:${var.environment}"
    } : role => jsonencode({
      Version = "2012-10-17"
      Statement = [{
        Effect    = "Allow"
        Principal = { Federated = local.oidc_arn }
        Action    = "sts:AssumeRoleWithWebIdentity"
        Condition = {
          StringEquals = {
            "token.actions.githubusercontent.com:aud" = "sts.amazonaws.com"
            "token.actions.githubusercontent.com:sub" = subject
          }
        }
      }]
  }) }

  state_objects = "${aws_s3_bucket.state.arn}/bankapp/${var.environment}/*"
}

resource "aws_iam_role" "terraform" {
  for_each = local.trust

  name                 = "${local.name}-terraform-${each.key}"
  assume_role_policy   = each.value
  max_session_duration = 3600

  depends_on = [aws_iam_openid_connect_provider.github]
}

resource "aws_iam_role_policy_attachment" "read_only" {
  for_each = toset(["plan-pr", "plan"])

  role       = aws_iam_role.terraform[each.key].name
  policy_arn = "arn:${data.aws_partition.current.partition}:iam::aws:policy/ReadOnlyAccess"
}

# Terraform creates and changes every kind of resource of the stack (IAM
# roles included); the trust policy, the GitHub environment's reviewers and
# the reviewed plan file are what limit it.
#tfsec:ignore:aws-iam-no-policy-wildcards The apply role must manage every resource type of the stack; it is reachable only from the approved GitHub environment.
resource "aws_iam_role_policy_attachment" "apply" {
  role       = aws_iam_role.terraform["apply"].name
  policy_arn = "arn:${data.aws_partition.current.partition}:iam::aws:policy/AdministratorAccess"
}

# State: read it (both plan roles); the apply role has it through
# AdministratorAccess. KMS for the state and its lock file.
#tfsec:ignore:aws-iam-no-policy-wildcards GetRandomPassword has no resource-level permissions; every other statement names the state bucket, its objects and key.
resource "aws_iam_role_policy" "state" {
  for_each = toset(["plan-pr", "plan"])

  name = "terraform-state"
  role = aws_iam_role.terraform[each.key].id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = ["s3:ListBucket"]
        Resource = [aws_s3_bucket.state.arn]
      },
      {
        Effect   = "Allow"
        Action   = ["s3:GetObject"]
        Resource = [local.state_objects]
      },
      {
        Effect   = "Allow"
        Action   = ["kms:Decrypt", "kms:GenerateDataKey"]
        Resource = [aws_kms_key.state.arn]
      },
      {
        # The rds module's data source draws the first master password
        # (no resource-level permissions; returns a random string only).
        Effect   = "Allow"
        Action   = ["secretsmanager:GetRandomPassword"]
        Resource = ["*"]
      },
    ]
  })
}

# Main-branch plans lock the state (use_lockfile) and refresh the master
# secret's first version, which reads its value.
#tfsec:ignore:aws-iam-no-policy-wildcards kms:Decrypt on "*" is pinned to Secrets Manager by kms:ViaService (the environment's key is made after this root); the rest names the lock file and this environment's secrets.
resource "aws_iam_role_policy" "plan_main" {
  name = "terraform-plan-main"
  role = aws_iam_role.terraform["plan"].id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = ["s3:PutObject", "s3:DeleteObject"]
        Resource = ["${local.state_objects}.tflock"]
      },
      {
        Effect   = "Allow"
        Action   = ["secretsmanager:GetSecretValue"]
        Resource = ["arn:${data.aws_partition.current.partition}:secretsmanager:${var.region}:${data.aws_caller_identity.current.account_id}:secret:${local.name}/*"]
      },
      {
        Effect    = "Allow"
        Action    = ["kms:Decrypt"]
        Resource  = ["*"]
        Condition = { StringEquals = { "kms:ViaService" = "secretsmanager.${var.region}.amazonaws.com" } }
      },
    ]
  })
}

# Pull requests run any branch's code: no secret values, whatever
# ReadOnlyAccess may grow to include.
#tfsec:ignore:aws-iam-no-policy-wildcards A Deny: the wildcard takes away, it grants nothing.
resource "aws_iam_role_policy" "plan_pr_deny" {
  name = "terraform-plan-pr-no-secrets"
  role = aws_iam_role.terraform["plan-pr"].id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Deny"
      Action   = ["secretsmanager:GetSecretValue", "ssm:GetParameter", "ssm:GetParameters", "ssm:GetParametersByPath"]
      Resource = ["*"]
    }]
  })
}

output "terraform_role_arns" {
  description = "Set as GitHub variables: TF_PLAN_PR_ROLE_ARN_<ENV> and TF_PLAN_ROLE_ARN_<ENV> (repository), TF_APPLY_ROLE_ARN (environment <env>)."
  value       = { for k, r in aws_iam_role.terraform : k => r.arn }
}
