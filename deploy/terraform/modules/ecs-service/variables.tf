variable "name" {
  description = "Name prefix, e.g. bankapp-prod (cluster, service and task family)."
  type        = string
}

variable "image" {
  description = "Container image (repository URL and tag)."
  type        = string
}

variable "cpu" {
  description = "Task CPU units (seed: 256 dev, 512 staging, 1024 prod)."
  type        = number
}

variable "memory" {
  description = "Task memory in MiB (seed: 512 dev, 1024 staging, 2048 prod)."
  type        = number
}

variable "desired_count" {
  description = "Initial task count (seed: 1 dev, 2 staging, 3 prod)."
  type        = number
}

variable "min_capacity" {
  description = "Auto-scaling minimum (seed: 1/2/3)."
  type        = number
}

variable "max_capacity" {
  description = "Auto-scaling maximum (seed: 2/4/10)."
  type        = number
}

variable "cpu_target" {
  description = "Target-tracking CPU percentage (seed: 80 dev, 70 staging and prod)."
  type        = number
}

variable "step_scaling" {
  description = "Seed step rules (prod): add 1 task when CPU > up_threshold for up_minutes; remove 1 when CPU < down_threshold for down_minutes."
  type = object({
    enabled        = bool
    up_threshold   = number
    up_minutes     = number
    down_threshold = number
    down_minutes   = number
  })
  default = {
    enabled        = false
    up_threshold   = 70
    up_minutes     = 2
    down_threshold = 30
    down_minutes   = 5
  }
}

variable "use_spot" {
  description = "Run on Fargate Spot (dev/staging)."
  type        = bool
}

variable "blue_green" {
  description = "Deploy with CodeDeploy blue/green instead of ECS rolling updates (prod)."
  type        = bool
  default     = false
}

variable "debug_port_forwarding" {
  description = "Operator access to the task's private metrics/pprof listener through SSM port forwarding (ECS Exec on, root file system writable). Off except during a profiling session (docs/runbooks/profiling.md)."
  type        = bool
  default     = false
}

variable "private_subnet_ids" {
  description = "Private subnets for the tasks."
  type        = list(string)
}

variable "security_group_id" {
  description = "ECS security group."
  type        = string
}

variable "target_group_arn" {
  description = "Target group the service registers in."
  type        = string
}

variable "execution_role_arn" {
  description = "Task execution role."
  type        = string
}

variable "task_role_arn" {
  description = "Task role."
  type        = string
}

variable "container_port" {
  description = "Port the app listens on."
  type        = number
  default     = 3001
}

variable "health_check_grace_seconds" {
  description = "Seconds ECS ignores failed load-balancer health checks of a new task (start-up, migrations check)."
  type        = number
  default     = 60
}

variable "drain_seconds" {
  description = "How long the app drains after SIGTERM before it exits."
  type        = number
  default     = 25
}

variable "environment" {
  description = "Plain environment variables of the container."
  type        = map(string)
}

variable "secrets" {
  description = "Environment variable name to Secrets Manager valueFrom (ARN[:json-key::])."
  type        = map(string)
}

variable "sidecars" {
  description = "Extra container definitions (non-essential sidecars such as the OpenTelemetry collector); logConfiguration is added."
  type        = list(any)
  default     = []
}

variable "log_retention_days" {
  description = "Days application logs are kept."
  type        = number
}

variable "kms_key_arn" {
  description = "Key that encrypts the log group."
  type        = string
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}
