variable "name" {
  description = "Name prefix, e.g. bankapp-prod."
  type        = string
}

variable "vpc_cidr" {
  description = "VPC CIDR block (seed: 10.0/10.1/10.2.0.0/16 for dev/staging/prod)."
  type        = string
}

variable "azs" {
  description = "The two availability zones."
  type        = list(string)

  validation {
    condition     = length(var.azs) == 2
    error_message = "The seed puts the VPC in exactly two availability zones."
  }
}

variable "public_subnet_cidrs" {
  description = "Public subnets (ALB, NAT), one per AZ: 10.X.1.0/24 and 10.X.2.0/24."
  type        = list(string)
}

variable "private_subnet_cidrs" {
  description = "Private subnets (ECS, RDS), one per AZ: 10.X.11.0/24 and 10.X.12.0/24."
  type        = list(string)
}

variable "app_port" {
  description = "Port the application listens on."
  type        = number
  default     = 3001
}

variable "alb_ingress_prefix_list_id" {
  description = "Managed prefix list allowed to reach the ALB on 443 instead of 0.0.0.0/0 (CloudFront's origin-facing list; empty: the internet, and port 80 too)."
  type        = string
  default     = ""
}

variable "db_port" {
  description = "PostgreSQL port."
  type        = number
  default     = 5432
}

variable "flow_log_retention_days" {
  description = "Retention of the VPC flow logs."
  type        = number
  default     = 90
}

variable "kms_key_arn" {
  description = "KMS key that encrypts the flow log group."
  type        = string
}

variable "tags" {
  description = "Tags added to every resource (the provider adds the default tags)."
  type        = map(string)
  default     = {}
}
