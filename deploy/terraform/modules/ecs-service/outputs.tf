output "cluster_name" {
  description = "ECS cluster name."
  value       = aws_ecs_cluster.this.name
}

output "service_name" {
  description = "ECS service name."
  value       = local.service_name
}

output "task_family" {
  description = "Task definition family."
  value       = aws_ecs_task_definition.this.family
}

output "log_group_name" {
  description = "Application log group."
  value       = aws_cloudwatch_log_group.app.name
}

output "task_size" {
  description = "Task CPU units and memory MiB."
  value       = { cpu = aws_ecs_task_definition.this.cpu, memory = aws_ecs_task_definition.this.memory }
}

output "stop_timeout" {
  description = "Seconds between SIGTERM and SIGKILL."
  value       = local.stop_timeout
}

output "scaling" {
  description = "Scaling limits, target and step rules."
  value = {
    desired      = local.service_desired_count
    min          = aws_appautoscaling_target.this.min_capacity
    max          = aws_appautoscaling_target.this.max_capacity
    cpu_target   = var.cpu_target
    step_enabled = var.step_scaling.enabled
    capacity     = var.use_spot ? "FARGATE_SPOT" : "FARGATE"
  }
}

output "container_contract" {
  description = "What the task definition promises the app: port, stop timeout, health check, user."
  value = {
    port         = var.container_port
    stop_timeout = local.container.stopTimeout
    health_check = local.container.healthCheck.command
    user         = local.container.user
    read_only    = local.container.readonlyRootFilesystem
    # Names only (values hold ARNs unknown at plan time).
    environment_names = sort(keys(local.environment))
    secret_names      = sort(keys(var.secrets))
    # Tracing settings (all known at plan time) and the sidecars by name.
    otel     = { for k, v in local.environment : k => v if startswith(k, "OTEL_") || k == "METRICS_ADDR" }
    sidecars = [for c in var.sidecars : c.name]
    ports    = [for m in local.container.portMappings : m.containerPort]
  }
}
