variable "name" {
  description = "Name prefix, e.g. bankapp-prod."
  type        = string
}

variable "environment" {
  description = "Environment name (dev, staging, prod): the GitHub environment the deploy role trusts."
  type        = string
}

variable "github_repository" {
  description = "owner/name of the GitHub repository allowed to deploy."
  type        = string
}

variable "github_branch" {
  description = "Branch that may assume the deploy role outside an environment (dev: develop)."
  type        = string
  default     = ""
}

variable "create_github_oidc_provider" {
  description = "Create the account's GitHub OIDC provider (once per account)."
  type        = bool
  default     = true
}

variable "app_secret_arn" {
  description = "Application secret."
  type        = string
}

variable "db_secret_arn" {
  description = "Rotated master user secret the task reads (DATABASE_SECRET_ID)."
  type        = string
}

variable "email_domain" {
  description = "SES domain identity the task may send from (no-reply@ this domain only)."
  type        = string
}

variable "email_configuration_set" {
  description = "SES configuration set every message must name."
  type        = string
}

variable "collector_config_arn" {
  description = "SSM parameter with the OpenTelemetry collector's configuration (injected by the execution role)."
  type        = string
}

variable "metrics_log_group_arn" {
  description = "Log group the collector writes embedded-metric-format metrics to."
  type        = string
}

variable "kms_key_arn" {
  description = "Key that encrypts the secrets and parameters."
  type        = string
}

variable "ssm_parameter_path" {
  description = "Parameter path the app reads, e.g. /bankapp/prod."
  type        = string
}

variable "blob_bucket_arn" {
  description = "Bucket for statements and exports (BLOB_STORE)."
  type        = string
}

variable "ecr_repository_arn" {
  description = "The environment's image repository."
  type        = string
}

variable "frontend_bucket_arn" {
  description = "Frontend bucket the deploy role syncs (empty without CloudFront)."
  type        = string
  default     = ""
}

variable "cloudfront_distribution_arn" {
  description = "Distribution the deploy role invalidates (empty when CloudFront is off)."
  type        = string
  default     = ""
}

variable "db_instance_arn" {
  description = "Primary DB instance (prod deploys snapshot it first)."
  type        = string
}

variable "deploy_session_seconds" {
  description = "Maximum session of the deploy role (_deploy.yml's role-duration-seconds)."
  type        = number
  default     = 7200
}

variable "metrics_namespace" {
  description = "The only CloudWatch namespace the task may publish to."
  type        = string
  default     = "BankApp"
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}

variable "debug_port_forwarding" {
  description = "Grant the task role the Session Manager channel actions ECS Exec needs (SSM port forwarding to the metrics/pprof listener). Off except during a profiling session."
  type        = bool
  default     = false
}
