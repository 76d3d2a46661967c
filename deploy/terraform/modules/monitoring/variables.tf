variable "name" {
  description = "Name prefix, e.g. bankapp-prod."
  type        = string
}

variable "alarm_email" {
  description = "Address subscribed to the alarm topic (empty: none)."
  type        = string
  default     = ""
}

variable "kms_key_arn" {
  description = "Key that encrypts the alarm topic."
  type        = string
}

variable "cluster_name" {
  description = "ECS cluster."
  type        = string
}

variable "service_name" {
  description = "ECS service."
  type        = string
}

variable "db_instance_id" {
  description = "Primary DB identifier."
  type        = string
}

variable "db_allocated_storage_gb" {
  description = "Allocated storage; the free-storage alarm fires under a share of it."
  type        = number
}

variable "alb_arn_suffix" {
  description = "ALB ARN suffix (dimension LoadBalancer)."
  type        = string
}

variable "target_group_arn_suffixes" {
  description = "ARN suffix (dimension TargetGroup) of every target group by colour: blue, and green with blue/green."
  type        = map(string)
}

variable "app_log_group_name" {
  description = "Application log group (JSON logs) for the failed-login metric."
  type        = string
}

variable "web_acl_name" {
  description = "WAF web ACL for the security dashboard (empty: none)."
  type        = string
  default     = ""
}

# The seed's seven alarms. Each threshold and period is named after the seed
# line it implements; the env roots set them explicitly.
variable "alarms" {
  description = "Thresholds and periods of the seed's seven alarms."
  type = object({
    ecs_cpu_percent            = number # critical: ECS CPU > 90% for 5 minutes
    ecs_cpu_minutes            = number
    rds_cpu_percent            = number # critical: RDS CPU > 85% for 5 minutes
    rds_cpu_minutes            = number
    alb_5xx_count              = number # critical: ALB 5xx > 10 in 1 minute
    alb_5xx_minutes            = number
    rds_free_storage_percent   = number # critical: RDS storage < 10% free
    ecs_memory_percent         = number # warning: ECS memory > 80% for 5 minutes
    ecs_memory_minutes         = number
    api_p99_latency_seconds    = number # warning: API latency > 2 s (p99)
    api_latency_minutes        = number
    failed_health_checks_count = number # warning: failed health checks > 2 consecutive
  })
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}
