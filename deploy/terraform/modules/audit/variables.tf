variable "name" {
  description = "Name prefix, e.g. bankapp-prod."
  type        = string
}

variable "log_retention_days" {
  description = "Days trail events stay in CloudWatch Logs."
  type        = number
  default     = 365
}

variable "s3_retention_days" {
  description = "Days trail files stay in S3 (then Glacier Deep Archive until expiry)."
  type        = number
  default     = 2555
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}

variable "data_event_bucket_arns" {
  description = "Buckets whose object reads and writes the trail records (customer data)."
  type        = list(string)
  default     = []
}
