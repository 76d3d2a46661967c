resource "aws_appautoscaling_target" "this" {
  service_namespace  = "ecs"
  resource_id        = "service/${aws_ecs_cluster.this.name}/${local.service_name}"
  scalable_dimension = "ecs:service:DesiredCount"
  min_capacity       = var.min_capacity
  max_capacity       = var.max_capacity
  tags               = var.tags
}

# Target tracking on average CPU. Where the seed's step rules apply (prod)
# they own scale-in, so target tracking only scales out there.
resource "aws_appautoscaling_policy" "cpu_target" {
  name               = "${var.name}-cpu-target"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.this.service_namespace
  resource_id        = aws_appautoscaling_target.this.resource_id
  scalable_dimension = aws_appautoscaling_target.this.scalable_dimension

  target_tracking_scaling_policy_configuration {
    target_value       = var.cpu_target
    disable_scale_in   = var.step_scaling.enabled
    scale_in_cooldown  = 300
    scale_out_cooldown = 60

    predefined_metric_specification {
      predefined_metric_type = "ECSServiceAverageCPUUtilization"
    }
  }
}

resource "aws_appautoscaling_policy" "step_up" {
  count = var.step_scaling.enabled ? 1 : 0

  name               = "${var.name}-cpu-step-up"
  policy_type        = "StepScaling"
  service_namespace  = aws_appautoscaling_target.this.service_namespace
  resource_id        = aws_appautoscaling_target.this.resource_id
  scalable_dimension = aws_appautoscaling_target.this.scalable_dimension

  step_scaling_policy_configuration {
    adjustment_type         = "ChangeInCapacity"
    cooldown                = 60
    metric_aggregation_type = "Average"

    step_adjustment {
      metric_interval_lower_bound = 0
      scaling_adjustment          = 1
    }
  }
}

resource "aws_appautoscaling_policy" "step_down" {
  count = var.step_scaling.enabled ? 1 : 0

  name               = "${var.name}-cpu-step-down"
  policy_type        = "StepScaling"
  service_namespace  = aws_appautoscaling_target.this.service_namespace
  resource_id        = aws_appautoscaling_target.this.resource_id
  scalable_dimension = aws_appautoscaling_target.this.scalable_dimension

  step_scaling_policy_configuration {
    adjustment_type         = "ChangeInCapacity"
    cooldown                = 300
    metric_aggregation_type = "Average"

    step_adjustment {
      metric_interval_upper_bound = 0
      scaling_adjustment          = -1
    }
  }
}

# "Add 1 task when CPU > 70% for 2 minutes": two one-minute periods.
resource "aws_cloudwatch_metric_alarm" "step_up" {
  count = var.step_scaling.enabled ? 1 : 0

  alarm_name          = "${var.name}-scale-up-cpu"
  alarm_description   = "Scale out: service CPU > ${var.step_scaling.up_threshold}% for ${var.step_scaling.up_minutes} minutes"
  namespace           = "AWS/ECS"
  metric_name         = "CPUUtilization"
  statistic           = "Average"
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.step_scaling.up_threshold
  period              = 60
  evaluation_periods  = var.step_scaling.up_minutes
  datapoints_to_alarm = var.step_scaling.up_minutes
  dimensions          = { ClusterName = aws_ecs_cluster.this.name, ServiceName = local.service_name }
  alarm_actions       = [aws_appautoscaling_policy.step_up[0].arn]
  tags                = var.tags
}

# "Remove 1 task when CPU < 30% for 5 minutes": five one-minute periods.
resource "aws_cloudwatch_metric_alarm" "step_down" {
  count = var.step_scaling.enabled ? 1 : 0

  alarm_name          = "${var.name}-scale-down-cpu"
  alarm_description   = "Scale in: service CPU < ${var.step_scaling.down_threshold}% for ${var.step_scaling.down_minutes} minutes"
  namespace           = "AWS/ECS"
  metric_name         = "CPUUtilization"
  statistic           = "Average"
  comparison_operator = "LessThanThreshold"
  threshold           = var.step_scaling.down_threshold
  period              = 60
  evaluation_periods  = var.step_scaling.down_minutes
  datapoints_to_alarm = var.step_scaling.down_minutes
  dimensions          = { ClusterName = aws_ecs_cluster.this.name, ServiceName = local.service_name }
  alarm_actions       = [aws_appautoscaling_policy.step_down[0].arn]
  tags                = var.tags
}
