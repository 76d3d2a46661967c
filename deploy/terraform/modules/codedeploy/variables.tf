variable "name" {
  description = "Name prefix, e.g. bankapp-prod (application and deployment group)."
  type        = string
}

variable "cluster_name" {
  description = "ECS cluster."
  type        = string
}

variable "service_name" {
  description = "ECS service (deployment controller CODE_DEPLOY)."
  type        = string
}

variable "listener_arn" {
  description = "Production (HTTPS) listener."
  type        = string
}

variable "blue_target_group_name" {
  description = "Blue target group."
  type        = string
}

variable "green_target_group_name" {
  description = "Green target group."
  type        = string
}

variable "rollback_alarm_names" {
  description = "Alarms that stop the deployment and roll back."
  type        = list(string)
}

variable "deployment_config_name" {
  description = "Traffic shifting: canary 10% for 5 minutes, then the rest."
  type        = string
  default     = "CodeDeployDefault.ECSCanary10Percent5Minutes"
}

variable "terminate_blue_after_minutes" {
  description = "Minutes the old (blue) tasks stay up after the switch, for a fast manual rollback."
  type        = number
  default     = 15
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}
