data "aws_caller_identity" "current" {}

data "aws_region" "current" {}

data "aws_partition" "current" {}

locals {
  account   = data.aws_caller_identity.current.account_id
  region    = data.aws_region.current.name
  partition = data.aws_partition.current.partition
  ssm_arn   = "arn:${local.partition}:ssm:${local.region}:${local.account}:parameter${var.ssm_parameter_path}"
}

resource "aws_iam_role" "execution" {
  name = "${var.name}-task-execution"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "ecs-tasks.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
  tags = var.tags
}

# Pull images from ECR and write logs to CloudWatch.
resource "aws_iam_role_policy_attachment" "execution_managed" {
  role       = aws_iam_role.execution.name
  policy_arn = "arn:${local.partition}:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
}

# Read exactly what the task definition injects: the app secret, and the
# collector's configuration parameter.
resource "aws_iam_role_policy" "execution_secrets" {
  name = "read-injected-secrets"
  role = aws_iam_role.execution.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = ["secretsmanager:GetSecretValue"]
        Resource = [var.app_secret_arn]
      },
      {
        Effect   = "Allow"
        Action   = ["ssm:GetParameters"]
        Resource = [var.collector_config_arn]
      },
      {
        Effect   = "Allow"
        Action   = ["kms:Decrypt"]
        Resource = [var.kms_key_arn]
      },
    ]
  })
}

resource "aws_iam_role" "task" {
  name = "${var.name}-task"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "ecs-tasks.amazonaws.com" }
      Action    = "sts:AssumeRole"
      Condition = { ArnLike = { "aws:SourceArn" = "arn:${local.partition}:ecs:${local.region}:${local.account}:*" } }
    }]
  })
  tags = var.tags
}

#tfsec:ignore:aws-iam-no-policy-wildcards Wildcards only name the objects of the one blob bucket, the parameters under the one environment path, the streams of the one metrics log group, PutMetricData (no resource-level permissions; pinned by a namespace condition) and X-Ray's two write actions (no resource-level permissions).
resource "aws_iam_role_policy" "task" {
  name = "bankapp-runtime"
  role = aws_iam_role.task.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        # The app secret at start-up; the database secret for each new
        # connection (its password rotates).
        Sid      = "Settings"
        Effect   = "Allow"
        Action   = ["secretsmanager:GetSecretValue"]
        Resource = [var.app_secret_arn, var.db_secret_arn]
      },
      {
        Sid      = "Parameters"
        Effect   = "Allow"
        Action   = ["ssm:GetParametersByPath", "ssm:GetParameters", "ssm:GetParameter"]
        Resource = [local.ssm_arn, "${local.ssm_arn}/*"]
      },
      {
        Sid      = "DecryptSettings"
        Effect   = "Allow"
        Action   = ["kms:Decrypt", "kms:GenerateDataKey"]
        Resource = [var.kms_key_arn]
      },
      {
        Sid      = "BlobObjects"
        Effect   = "Allow"
        Action   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]
        Resource = ["${var.blob_bucket_arn}/*"]
      },
      {
        Sid      = "BlobList"
        Effect   = "Allow"
        Action   = ["s3:ListBucket"]
        Resource = [var.blob_bucket_arn]
      },
      {
        # PutMetricData has no resource-level permissions; the condition
        # pins it to the app's namespace.
        Sid       = "Metrics"
        Effect    = "Allow"
        Action    = ["cloudwatch:PutMetricData"]
        Resource  = ["*"]
        Condition = { StringEquals = { "cloudwatch:namespace" = var.metrics_namespace } }
      },
      {
        # The collector sidecar's trace export. X-Ray's write actions have
        # no resource-level permissions; sampling is decided in the app,
        # so no sampling-rule reads.
        Sid      = "Traces"
        Effect   = "Allow"
        Action   = ["xray:PutTraceSegments", "xray:PutTelemetryRecords"]
        Resource = ["*"]
      },
      {
        # The collector's metrics (embedded metric format) into its one
        # log group.
        Sid      = "MetricLogs"
        Effect   = "Allow"
        Action   = ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"]
        Resource = [var.metrics_log_group_arn, "${var.metrics_log_group_arn}:*"]
      },
    ]
  })
}

# Profiling sessions only (debug_port_forwarding, docs/runbooks/profiling.md):
# the managed SSM agent that ECS Exec starts in the task opens its Session
# Manager channels with the task role. The ssmmessages actions have no
# resource-level permissions. Absent by default.
#tfsec:ignore:aws-iam-no-policy-wildcards The four ssmmessages channel actions support no resource-level permissions; the policy exists only while a profiling session is on.
resource "aws_iam_role_policy" "task_debug" {
  count = var.debug_port_forwarding ? 1 : 0

  name = "bankapp-debug-port-forwarding"
  role = aws_iam_role.task.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid    = "SessionManagerChannels"
      Effect = "Allow"
      Action = [
        "ssmmessages:CreateControlChannel",
        "ssmmessages:CreateDataChannel",
        "ssmmessages:OpenControlChannel",
        "ssmmessages:OpenDataChannel",
      ]
      Resource = ["*"]
    }]
  })
}

# Mail: SES v2 SendEmail for the environment's domain identity and
# configuration set only, from no-reply@ that domain only. Built from
# values known at plan time (seedtest reads it from the plan).
resource "aws_iam_role_policy" "task_email" {
  name = "bankapp-send-email"
  role = aws_iam_role.task.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid    = "SendEmail"
      Effect = "Allow"
      Action = ["ses:SendEmail"]
      Resource = [
        "arn:${local.partition}:ses:${local.region}:${local.account}:identity/${var.email_domain}",
        "arn:${local.partition}:ses:${local.region}:${local.account}:configuration-set/${var.email_configuration_set}",
      ]
      Condition = { StringEquals = { "ses:FromAddress" = "no-reply@${var.email_domain}" } }
    }]
  })
}
