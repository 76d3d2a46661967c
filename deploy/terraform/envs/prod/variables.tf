variable "region" {
  description = "AWS region (us-east-1: CloudFront certificates and WAF live there)."
  type        = string
  default     = "us-east-1"
}

variable "github_repository" {
  description = "owner/name of the repository whose workflows deploy."
  type        = string
  default     = "bankapp/bankapp"
}

variable "image_tag" {
  description = "Image tag of the first task definition."
  type        = string
  default     = "bootstrap"
}

variable "zone_id" {
  description = "Route 53 hosted zone of the environment's domain."
  type        = string
  default     = "Z0000000000000000000"
}

variable "alarm_email" {
  description = "Address subscribed to alarms."
  type        = string
  default     = ""
}

variable "debug_port_forwarding" {
  description = "A profiling session is on: ECS Exec on the service and the ssmmessages channel actions on the task role, for SSM port forwarding to the task's metrics/pprof listener (docs/runbooks/profiling.md). Keep false outside a session."
  type        = bool
  default     = false
}
