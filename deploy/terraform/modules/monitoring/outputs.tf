output "topic_arn" {
  description = "Alarm topic."
  value       = aws_sns_topic.alarms.arn
}

output "alarm_names" {
  description = "The seven seed alarms by key."
  value = {
    ecs_cpu_high    = aws_cloudwatch_metric_alarm.ecs_cpu_high.alarm_name
    rds_cpu_high    = aws_cloudwatch_metric_alarm.rds_cpu_high.alarm_name
    alb_5xx         = aws_cloudwatch_metric_alarm.alb_5xx.alarm_name
    rds_storage_low = aws_cloudwatch_metric_alarm.rds_storage_low.alarm_name
    ecs_memory_high = aws_cloudwatch_metric_alarm.ecs_memory_high.alarm_name
    api_latency_p99 = aws_cloudwatch_metric_alarm.api_latency_p99.alarm_name
    unhealthy_hosts = aws_cloudwatch_metric_alarm.unhealthy_hosts.alarm_name
  }
}

output "rollback_alarm_names" {
  description = "Alarms that stop and roll back a blue/green deployment."
  value = [
    aws_cloudwatch_metric_alarm.alb_5xx.alarm_name,
    aws_cloudwatch_metric_alarm.api_latency_p99.alarm_name,
    aws_cloudwatch_metric_alarm.unhealthy_hosts.alarm_name,
    aws_cloudwatch_metric_alarm.ecs_cpu_high.alarm_name,
  ]
}

output "alarm_thresholds" {
  description = "Threshold of each alarm, for tests."
  value = {
    ecs_cpu_high    = aws_cloudwatch_metric_alarm.ecs_cpu_high.threshold
    rds_cpu_high    = aws_cloudwatch_metric_alarm.rds_cpu_high.threshold
    alb_5xx         = aws_cloudwatch_metric_alarm.alb_5xx.threshold
    rds_storage_low = aws_cloudwatch_metric_alarm.rds_storage_low.threshold
    ecs_memory_high = aws_cloudwatch_metric_alarm.ecs_memory_high.threshold
    api_latency_p99 = aws_cloudwatch_metric_alarm.api_latency_p99.threshold
    unhealthy_hosts = aws_cloudwatch_metric_alarm.unhealthy_hosts.threshold
  }
}
