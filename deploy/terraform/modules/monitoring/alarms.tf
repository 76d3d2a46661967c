resource "aws_sns_topic" "alarms" {
  name              = "${var.name}-alarms"
  kms_master_key_id = var.kms_key_arn
  tags              = var.tags
}

resource "aws_sns_topic_subscription" "email" {
  count = var.alarm_email == "" ? 0 : 1

  topic_arn = aws_sns_topic.alarms.arn
  protocol  = "email"
  endpoint  = var.alarm_email
}

locals {
  ecs_dims = { ClusterName = var.cluster_name, ServiceName = var.service_name }
  rds_dims = { DBInstanceIdentifier = var.db_instance_id }
  actions  = [aws_sns_topic.alarms.arn]
  gib      = 1073741824
}

# Critical: ECS CPU > 90% for 5 minutes.
resource "aws_cloudwatch_metric_alarm" "ecs_cpu_high" {
  alarm_name          = "${var.name}-critical-ecs-cpu"
  alarm_description   = "CRITICAL: ECS CPU > ${var.alarms.ecs_cpu_percent}% for ${var.alarms.ecs_cpu_minutes} minutes"
  namespace           = "AWS/ECS"
  metric_name         = "CPUUtilization"
  dimensions          = local.ecs_dims
  statistic           = "Average"
  period              = 60
  evaluation_periods  = var.alarms.ecs_cpu_minutes
  datapoints_to_alarm = var.alarms.ecs_cpu_minutes
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.alarms.ecs_cpu_percent
  treat_missing_data  = "missing"
  alarm_actions       = local.actions
  ok_actions          = local.actions
  tags                = merge(var.tags, { Severity = "critical" })
}

# Critical: RDS CPU > 85% for 5 minutes.
resource "aws_cloudwatch_metric_alarm" "rds_cpu_high" {
  alarm_name          = "${var.name}-critical-rds-cpu"
  alarm_description   = "CRITICAL: RDS CPU > ${var.alarms.rds_cpu_percent}% for ${var.alarms.rds_cpu_minutes} minutes"
  namespace           = "AWS/RDS"
  metric_name         = "CPUUtilization"
  dimensions          = local.rds_dims
  statistic           = "Average"
  period              = 60
  evaluation_periods  = var.alarms.rds_cpu_minutes
  datapoints_to_alarm = var.alarms.rds_cpu_minutes
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.alarms.rds_cpu_percent
  treat_missing_data  = "missing"
  alarm_actions       = local.actions
  ok_actions          = local.actions
  tags                = merge(var.tags, { Severity = "critical" })
}

# Critical: ALB 5xx errors > 10 in 1 minute (the ALB's own 5xx plus the
# targets' 5xx).
resource "aws_cloudwatch_metric_alarm" "alb_5xx" {
  alarm_name          = "${var.name}-critical-alb-5xx"
  alarm_description   = "CRITICAL: ALB 5xx errors > ${var.alarms.alb_5xx_count} in ${var.alarms.alb_5xx_minutes} minute"
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.alarms.alb_5xx_count
  evaluation_periods  = 1
  datapoints_to_alarm = 1
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.actions
  ok_actions          = local.actions

  metric_query {
    id          = "errors"
    expression  = "FILL(elb, 0) + FILL(target, 0)"
    label       = "ALB 5xx"
    return_data = true
  }

  metric_query {
    id = "elb"
    metric {
      namespace   = "AWS/ApplicationELB"
      metric_name = "HTTPCode_ELB_5XX_Count"
      dimensions  = { LoadBalancer = var.alb_arn_suffix }
      stat        = "Sum"
      period      = var.alarms.alb_5xx_minutes * 60
    }
  }

  metric_query {
    id = "target"
    metric {
      namespace   = "AWS/ApplicationELB"
      metric_name = "HTTPCode_Target_5XX_Count"
      dimensions  = { LoadBalancer = var.alb_arn_suffix }
      stat        = "Sum"
      period      = var.alarms.alb_5xx_minutes * 60
    }
  }

  tags = merge(var.tags, { Severity = "critical" })
}

# Critical: RDS storage < 10% free (of the allocated storage).
resource "aws_cloudwatch_metric_alarm" "rds_storage_low" {
  alarm_name          = "${var.name}-critical-rds-free-storage"
  alarm_description   = "CRITICAL: RDS free storage < ${var.alarms.rds_free_storage_percent}% of ${var.db_allocated_storage_gb} GiB"
  namespace           = "AWS/RDS"
  metric_name         = "FreeStorageSpace"
  dimensions          = local.rds_dims
  statistic           = "Minimum"
  period              = 300
  evaluation_periods  = 1
  comparison_operator = "LessThanThreshold"
  threshold           = var.db_allocated_storage_gb * local.gib * var.alarms.rds_free_storage_percent / 100
  treat_missing_data  = "missing"
  alarm_actions       = local.actions
  ok_actions          = local.actions
  tags                = merge(var.tags, { Severity = "critical" })
}

# Warning: ECS memory > 80% for 5 minutes.
resource "aws_cloudwatch_metric_alarm" "ecs_memory_high" {
  alarm_name          = "${var.name}-warning-ecs-memory"
  alarm_description   = "WARNING: ECS memory > ${var.alarms.ecs_memory_percent}% for ${var.alarms.ecs_memory_minutes} minutes"
  namespace           = "AWS/ECS"
  metric_name         = "MemoryUtilization"
  dimensions          = local.ecs_dims
  statistic           = "Average"
  period              = 60
  evaluation_periods  = var.alarms.ecs_memory_minutes
  datapoints_to_alarm = var.alarms.ecs_memory_minutes
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.alarms.ecs_memory_percent
  treat_missing_data  = "missing"
  alarm_actions       = local.actions
  ok_actions          = local.actions
  tags                = merge(var.tags, { Severity = "warning" })
}

# Warning: API latency > 2 seconds (p99).
resource "aws_cloudwatch_metric_alarm" "api_latency_p99" {
  alarm_name          = "${var.name}-warning-api-latency-p99"
  alarm_description   = "WARNING: API p99 latency > ${var.alarms.api_p99_latency_seconds} s for ${var.alarms.api_latency_minutes} minutes"
  namespace           = "AWS/ApplicationELB"
  metric_name         = "TargetResponseTime"
  dimensions          = { LoadBalancer = var.alb_arn_suffix }
  extended_statistic  = "p99"
  period              = 60
  evaluation_periods  = var.alarms.api_latency_minutes
  datapoints_to_alarm = var.alarms.api_latency_minutes
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.alarms.api_p99_latency_seconds
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.actions
  ok_actions          = local.actions
  tags                = merge(var.tags, { Severity = "warning" })
}

# Warning: failed health checks > 2 consecutive. The target group marks a
# task unhealthy after (count + 1) consecutive failed checks (alb module's
# unhealthy_threshold), so any unhealthy host means the seed's condition.
# Blue/green (prod) serves from blue and green in turn: the alarm watches
# every target group (the most unhealthy hosts of any), or it would be
# blind after every other deployment.
resource "aws_cloudwatch_metric_alarm" "unhealthy_hosts" {
  alarm_name          = "${var.name}-warning-failed-health-checks"
  alarm_description   = "WARNING: a task failed more than ${var.alarms.failed_health_checks_count} consecutive health checks"
  comparison_operator = "GreaterThanThreshold"
  threshold           = 0
  evaluation_periods  = 1
  datapoints_to_alarm = 1
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.actions
  ok_actions          = local.actions

  metric_query {
    id          = "unhealthy"
    expression  = "MAX([${join(", ", [for k in local.target_groups : "tg_${k}"])}])"
    label       = "Unhealthy hosts (any target group)"
    return_data = true
  }

  dynamic "metric_query" {
    for_each = local.target_groups
    content {
      id = "tg_${metric_query.value}"
      metric {
        namespace   = "AWS/ApplicationELB"
        metric_name = "UnHealthyHostCount"
        dimensions  = { LoadBalancer = var.alb_arn_suffix, TargetGroup = var.target_group_arn_suffixes[metric_query.value] }
        stat        = "Maximum"
        period      = 60
      }
    }
  }

  tags = merge(var.tags, { Severity = "warning" })
}

locals {
  target_groups = sort(keys(var.target_group_arn_suffixes))
}
