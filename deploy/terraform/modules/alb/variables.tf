variable "name" {
  description = "Name prefix, e.g. bankapp-prod."
  type        = string
}

variable "vpc_id" {
  description = "VPC id."
  type        = string
}

variable "public_subnet_ids" {
  description = "Public subnets, one per AZ."
  type        = list(string)
}

variable "security_group_id" {
  description = "ALB security group (network module)."
  type        = string
}

variable "domain_name" {
  description = "Name on the ALB's ACM certificate (the origin name, e.g. origin.bankapp.example.com)."
  type        = string
}

variable "alternative_names" {
  description = "Other names that alias the ALB (dev: the public name): subject alternative names of its certificate."
  type        = list(string)
  default     = []
}

variable "zone_id" {
  description = "Route 53 zone that validates the certificate."
  type        = string
}

variable "app_port" {
  description = "Container port."
  type        = number
  default     = 3001
}

variable "health_check_path" {
  description = "Liveness path: a brief database blip must not take every task out at once (readiness is /readyz)."
  type        = string
  default     = "/healthz"
}

variable "health_check_interval" {
  description = "Seconds between health checks (seed: every 30 seconds)."
  type        = number
  default     = 30
}

variable "unhealthy_threshold" {
  description = "Consecutive failed checks before a target is unhealthy (seed alarm: more than 2 consecutive)."
  type        = number
  default     = 3
}

variable "deregistration_delay" {
  description = "Seconds the ALB keeps a draining target (>= the app's 25 s drain)."
  type        = number
  default     = 30
}

variable "ssl_policy" {
  description = "TLS policy: TLS 1.2 minimum."
  type        = string
  default     = "ELBSecurityPolicy-TLS13-1-2-2021-06"
}

variable "stickiness_enabled" {
  description = "Enable lb_cookie sticky sessions (the app is stateless; off by default)."
  type        = bool
  default     = false
}

variable "blue_green" {
  description = "Create the second (green) target group for CodeDeploy blue/green."
  type        = bool
  default     = false
}

variable "deletion_protection" {
  description = "Protect the ALB from deletion."
  type        = bool
  default     = false
}

variable "log_retention_days" {
  description = "Days access logs are kept."
  type        = number
  default     = 90
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}
