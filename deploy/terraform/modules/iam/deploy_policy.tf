locals {
  cluster_arn_prefix = "arn:${local.partition}:ecs:${local.region}:${local.account}"
}

# Least privilege for the deploy workflows. The few actions that AWS does not
# scope to a resource (GetAuthorizationToken, RegisterTaskDefinition,
# DescribeTaskDefinition) are the only ones on "*".
#tfsec:ignore:aws-iam-no-policy-wildcards Only actions without resource-level permissions use "*"; see the comment above.
data "aws_iam_policy_document" "deploy" {
  statement {
    sid       = "EcrLogin"
    actions   = ["ecr:GetAuthorizationToken"]
    resources = ["*"]
  }

  statement {
    sid = "EcrPush"
    actions = [
      "ecr:BatchCheckLayerAvailability", "ecr:InitiateLayerUpload", "ecr:UploadLayerPart",
      "ecr:CompleteLayerUpload", "ecr:PutImage", "ecr:BatchGetImage", "ecr:DescribeImages",
      "ecr:DescribeImageScanFindings", "ecr:ListImages",
    ]
    resources = [var.ecr_repository_arn]
  }

  statement {
    sid       = "TaskDefinitions"
    actions   = ["ecs:RegisterTaskDefinition", "ecs:DescribeTaskDefinition"]
    resources = ["*"]
  }

  statement {
    sid       = "Services"
    actions   = ["ecs:UpdateService", "ecs:DescribeServices"]
    resources = ["${local.cluster_arn_prefix}:service/${var.name}/*"]
  }

  statement {
    sid       = "Migrations"
    actions   = ["ecs:RunTask"]
    resources = ["${local.cluster_arn_prefix}:task-definition/${var.name}:*"]
    condition {
      test     = "ArnEquals"
      variable = "ecs:cluster"
      values   = ["${local.cluster_arn_prefix}:cluster/${var.name}"]
    }
  }

  statement {
    sid       = "WatchMigrations"
    actions   = ["ecs:DescribeTasks"]
    resources = ["${local.cluster_arn_prefix}:task/${var.name}/*"]
  }

  statement {
    sid       = "PassTaskRoles"
    actions   = ["iam:PassRole"]
    resources = [aws_iam_role.execution.arn, aws_iam_role.task.arn]
    condition {
      test     = "StringEquals"
      variable = "iam:PassedToService"
      values   = ["ecs-tasks.amazonaws.com"]
    }
  }

  statement {
    sid = "BlueGreen"
    actions = [
      "codedeploy:CreateDeployment", "codedeploy:GetDeployment", "codedeploy:GetDeploymentConfig",
      "codedeploy:GetApplicationRevision", "codedeploy:RegisterApplicationRevision", "codedeploy:StopDeployment",
    ]
    resources = [
      "arn:${local.partition}:codedeploy:${local.region}:${local.account}:application:${var.name}",
      "arn:${local.partition}:codedeploy:${local.region}:${local.account}:deploymentgroup:${var.name}/*",
      "arn:${local.partition}:codedeploy:${local.region}:${local.account}:deploymentconfig:*",
    ]
  }

  statement {
    sid       = "PreDeploySnapshot"
    actions   = ["rds:CreateDBSnapshot", "rds:DescribeDBSnapshots", "rds:AddTagsToResource"]
    resources = [var.db_instance_arn, "arn:${local.partition}:rds:${local.region}:${local.account}:snapshot:${var.name}-predeploy-*"]
  }

  dynamic "statement" {
    for_each = var.frontend_bucket_arn == "" ? [] : [var.frontend_bucket_arn]
    content {
      sid       = "FrontendSync"
      actions   = ["s3:PutObject", "s3:DeleteObject", "s3:GetObject", "s3:ListBucket"]
      resources = [statement.value, "${statement.value}/*"]
    }
  }

  dynamic "statement" {
    for_each = var.cloudfront_distribution_arn == "" ? [] : [var.cloudfront_distribution_arn]
    content {
      sid       = "Invalidate"
      actions   = ["cloudfront:CreateInvalidation", "cloudfront:GetInvalidation"]
      resources = [statement.value]
    }
  }
}
