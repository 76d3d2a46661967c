variable "environment" {
  description = "dev, staging or prod."
  type        = string

  validation {
    condition     = contains(["dev", "staging", "prod"], var.environment)
    error_message = "environment must be dev, staging or prod."
  }
}

variable "azs" {
  description = "Two availability zones."
  type        = list(string)
}

variable "network" {
  description = "VPC and subnet CIDRs (seed: 10.X.0.0/16; public 10.X.1/2.0/24; private 10.X.11/12.0/24)."
  type = object({
    vpc_cidr             = string
    public_subnet_cidrs  = list(string)
    private_subnet_cidrs = list(string)
  })
}

variable "ecs" {
  description = "Task size, counts and scaling (seed: Environment Specifications and Scaling Strategy)."
  type = object({
    cpu           = number
    memory        = number
    desired_count = number
    min_capacity  = number
    max_capacity  = number
    cpu_target    = number
    use_spot      = bool
    step_scaling = object({
      enabled        = bool
      up_threshold   = number
      up_minutes     = number
      down_threshold = number
      down_minutes   = number
    })
  })
}

variable "rds" {
  description = "Database class, availability and backups."
  type = object({
    instance_class        = string
    multi_az              = bool
    read_replica          = bool
    enhanced_monitoring   = bool
    deletion_protection   = bool
    backup_retention_days = number
  })
}

variable "frontend" {
  description = "CloudFront, WAF and storage classes of the web app."
  type = object({
    cloudfront_enabled  = bool
    waf_enabled         = bool
    intelligent_tiering = bool
    glacier_after_days  = number
  })
}

variable "alarms" {
  description = "The seed's seven alarms (see modules/monitoring)."
  type = object({
    ecs_cpu_percent            = number
    ecs_cpu_minutes            = number
    rds_cpu_percent            = number
    rds_cpu_minutes            = number
    alb_5xx_count              = number
    alb_5xx_minutes            = number
    rds_free_storage_percent   = number
    ecs_memory_percent         = number
    ecs_memory_minutes         = number
    api_p99_latency_seconds    = number
    api_latency_minutes        = number
    failed_health_checks_count = number
  })
}

variable "blue_green" {
  description = "CodeDeploy blue/green deployments (seed: prod)."
  type        = bool
}

variable "debug_port_forwarding" {
  description = "Profiling sessions: ECS Exec on the service and the ssmmessages channel actions on the task role, so operators reach the task's 127.0.0.1:9090 metrics/pprof listener through SSM port forwarding (docs/runbooks/profiling.md). Off in every environment except during a session."
  type        = bool
  default     = false
}

variable "maintenance_page" {
  description = "CloudFront shows a static maintenance page (503) when the ALB origin fails (needs CloudFront)."
  type        = bool
}

variable "domain_name" {
  description = "Public name of the app in this environment."
  type        = string
}

variable "zone_id" {
  description = "Route 53 hosted zone of domain_name."
  type        = string
}

variable "github_repository" {
  description = "owner/name allowed to deploy through OIDC."
  type        = string
}

variable "github_branch" {
  description = "Branch that deploys without an environment gate (dev: develop)."
  type        = string
  default     = ""
}

variable "create_github_oidc_provider" {
  description = "Create the account's GitHub OIDC provider (bootstrap/ creates it: leave false unless bootstrap was told not to)."
  type        = bool
  default     = false
}

variable "image_tag" {
  description = "Image tag of the first task definition (deploys register newer ones)."
  type        = string
}

variable "market_data_provider" {
  description = "MARKET_DATA_PROVIDER: simulated or live."
  type        = string
}

variable "feature_flags" {
  description = "Feature flags in SSM."
  type        = map(bool)
  default     = {}
}

variable "log_retention_days" {
  description = "Application log retention."
  type        = number
}

variable "alarm_email" {
  description = "Address that receives alarms (empty: none)."
  type        = string
  default     = ""
}

variable "trace_sampling_ratio" {
  description = "OTEL_TRACES_SAMPLER_ARG: share of new traces sampled (dev 1.0, staging 0.5, prod 0.05)."
  type        = number

  validation {
    condition     = var.trace_sampling_ratio >= 0 && var.trace_sampling_ratio <= 1
    error_message = "trace_sampling_ratio is a ratio between 0 and 1."
  }
}

variable "otel_collector_image" {
  description = "AWS Distro for OpenTelemetry collector image (pinned)."
  type        = string
  default     = "public.ecr.aws/aws-observability/aws-otel-collector:v0.45.0"
}
