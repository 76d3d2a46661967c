variable "name" {
  description = "Name prefix, e.g. bankapp-prod."
  type        = string
}

variable "recovery_window_days" {
  description = "Days a deleted secret can still be restored."
  type        = number
  default     = 30
}

variable "kms_deletion_window_days" {
  description = "Days before a scheduled key deletion happens."
  type        = number
  default     = 30
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}
