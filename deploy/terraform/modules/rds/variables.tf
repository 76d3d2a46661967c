variable "name" {
  description = "Name prefix, e.g. bankapp-prod (DB identifier)."
  type        = string
}

variable "instance_class" {
  description = "Instance class (seed: db.t3.micro dev, db.t3.small staging, db.t3.medium prod)."
  type        = string
}

variable "multi_az" {
  description = "Standby in the second AZ (seed: staging and prod)."
  type        = bool
}

variable "read_replica" {
  description = "Create a read replica (seed: prod)."
  type        = bool
}

variable "enhanced_monitoring" {
  description = "Enhanced monitoring and Performance Insights (prod)."
  type        = bool
}

variable "deletion_protection" {
  description = "Refuse deletion (prod)."
  type        = bool
}

variable "backup_retention_days" {
  description = "Automated backup retention (seed: 35 days, the RDS maximum)."
  type        = number
  default     = 35
}

variable "engine_version" {
  description = "PostgreSQL major version; minor versions upgrade automatically."
  type        = string
  default     = "16"
}

variable "allocated_storage_gb" {
  description = "Initial storage."
  type        = number
  default     = 20
}

variable "max_allocated_storage_gb" {
  description = "Storage autoscaling ceiling."
  type        = number
  default     = 100
}

variable "database_name" {
  description = "Database name."
  type        = string
  default     = "bankapp"
}

variable "master_username" {
  description = "Master user; its password is in the module's rotated secret."
  type        = string
  default     = "bankapp"
}

variable "private_subnet_ids" {
  description = "Private subnets (primary in one AZ, standby in the other)."
  type        = list(string)
}

variable "security_group_id" {
  description = "RDS security group."
  type        = string
}

variable "kms_key_arn" {
  description = "Key for storage, Performance Insights and the master secret."
  type        = string
}

variable "monitoring_interval" {
  description = "Enhanced monitoring interval in seconds when enabled."
  type        = number
  default     = 15
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}

variable "vpc_id" {
  description = "VPC of the rotation function's security group."
  type        = string
}

variable "rotation_days" {
  description = "Days between rotations of the master password."
  type        = number
  default     = 30
}

variable "rotation_application_id" {
  description = "Serverless Application Repository id of AWS's single-user PostgreSQL rotation function."
  type        = string
  default     = "arn:aws:serverlessrepo:us-east-1:297356227824:applications/SecretsManagerRDSPostgreSQLRotationSingleUser"
}

variable "secret_recovery_window_days" {
  description = "Days a deleted master secret can still be restored."
  type        = number
  default     = 30
}
