data "aws_region" "current" {}

locals {
  region = data.aws_region.current.name

  # The app logs JSON to stdout (slog); a failed sign-in is one line with
  # "event":"auth.login_failed".
  failed_login_pattern = "{ $.event = \"auth.login_failed\" }"
}

resource "aws_cloudwatch_log_metric_filter" "failed_logins" {
  name           = "${var.name}-failed-logins"
  log_group_name = var.app_log_group_name
  pattern        = local.failed_login_pattern

  metric_transformation {
    name          = "FailedLogins"
    namespace     = "BankApp/${var.name}"
    value         = "1"
    default_value = "0"
    unit          = "Count"
  }
}

resource "aws_cloudwatch_dashboard" "application" {
  dashboard_name = "${var.name}-application"
  dashboard_body = jsonencode({
    widgets = [
      { type = "metric", x = 0, y = 0, width = 12, height = 6, properties = {
        title = "Requests and 5xx", region = local.region, stat = "Sum", period = 60,
        metrics = [
          ["AWS/ApplicationELB", "RequestCount", "LoadBalancer", var.alb_arn_suffix],
          [".", "HTTPCode_Target_5XX_Count", ".", "."],
          [".", "HTTPCode_ELB_5XX_Count", ".", "."],
        ]
      } },
      { type = "metric", x = 12, y = 0, width = 12, height = 6, properties = {
        title = "Latency p50/p99", region = local.region, period = 60,
        metrics = [
          ["AWS/ApplicationELB", "TargetResponseTime", "LoadBalancer", var.alb_arn_suffix, { stat = "p50" }],
          ["...", { stat = "p99" }],
        ]
      } },
      { type = "metric", x = 0, y = 6, width = 12, height = 6, properties = {
        title = "ECS CPU and memory", region = local.region, stat = "Average", period = 60,
        metrics = [
          ["AWS/ECS", "CPUUtilization", "ClusterName", var.cluster_name, "ServiceName", var.service_name],
          [".", "MemoryUtilization", ".", ".", ".", "."],
        ]
      } },
      { type = "metric", x = 12, y = 6, width = 12, height = 6, properties = {
        title = "Healthy and unhealthy tasks", region = local.region, stat = "Maximum", period = 60,
        metrics = concat([for k in local.target_groups : [
          ["AWS/ApplicationELB", "HealthyHostCount", "TargetGroup", var.target_group_arn_suffixes[k], "LoadBalancer", var.alb_arn_suffix, { label = "healthy (${k})" }],
          ["AWS/ApplicationELB", "UnHealthyHostCount", "TargetGroup", var.target_group_arn_suffixes[k], "LoadBalancer", var.alb_arn_suffix, { label = "unhealthy (${k})" }],
        ]]...)
      } },
    ]
  })
}

resource "aws_cloudwatch_dashboard" "database" {
  dashboard_name = "${var.name}-database"
  dashboard_body = jsonencode({
    widgets = [
      { type = "metric", x = 0, y = 0, width = 12, height = 6, properties = {
        title = "RDS CPU and connections", region = local.region, stat = "Average", period = 60,
        metrics = [
          ["AWS/RDS", "CPUUtilization", "DBInstanceIdentifier", var.db_instance_id],
          [".", "DatabaseConnections", ".", "."],
        ]
      } },
      { type = "metric", x = 12, y = 0, width = 12, height = 6, properties = {
        title = "RDS free storage and memory", region = local.region, stat = "Minimum", period = 300,
        metrics = [
          ["AWS/RDS", "FreeStorageSpace", "DBInstanceIdentifier", var.db_instance_id],
          [".", "FreeableMemory", ".", "."],
        ]
      } },
      { type = "metric", x = 0, y = 6, width = 24, height = 6, properties = {
        title = "RDS latency and replica lag", region = local.region, stat = "Average", period = 60,
        metrics = [
          ["AWS/RDS", "ReadLatency", "DBInstanceIdentifier", var.db_instance_id],
          [".", "WriteLatency", ".", "."],
          [".", "ReplicaLag", ".", "${var.db_instance_id}-replica"],
        ]
      } },
    ]
  })
}

# Billing metrics exist only in us-east-1 and need "Receive Billing Alerts"
# turned on in the account.
resource "aws_cloudwatch_dashboard" "cost" {
  dashboard_name = "${var.name}-cost"
  dashboard_body = jsonencode({
    widgets = [
      { type = "metric", x = 0, y = 0, width = 24, height = 6, properties = {
        title = "Estimated charges (USD)", region = "us-east-1", stat = "Maximum", period = 21600,
        metrics = [
          ["AWS/Billing", "EstimatedCharges", "Currency", "USD"],
          ["...", "ServiceName", "AmazonECS", "Currency", "USD"],
          ["...", "AmazonRDS", ".", "."],
          ["...", "AmazonEC2", ".", "."],
          ["...", "AmazonCloudFront", ".", "."],
        ]
      } },
      { type = "metric", x = 0, y = 6, width = 24, height = 6, properties = {
        title   = "Running tasks (cost driver)", region = local.region, stat = "Average", period = 300,
        metrics = [["ECS/ContainerInsights", "RunningTaskCount", "ClusterName", var.cluster_name, "ServiceName", var.service_name]]
      } },
    ]
  })
}

resource "aws_cloudwatch_dashboard" "security" {
  dashboard_name = "${var.name}-security"
  dashboard_body = jsonencode({
    widgets = concat(
      [{ type = "metric", x = 0, y = 0, width = 12, height = 6, properties = {
        title   = "Failed logins", region = local.region, stat = "Sum", period = 60,
        metrics = [["BankApp/${var.name}", "FailedLogins"]]
      } }],
      var.web_acl_name == "" ? [] : [{ type = "metric", x = 12, y = 0, width = 12, height = 6, properties = {
        title   = "WAF blocked requests", region = "us-east-1", stat = "Sum", period = 60,
        metrics = [["AWS/WAFV2", "BlockedRequests", "WebACL", var.web_acl_name, "Rule", "ALL"]]
      } }],
    )
  })
}
