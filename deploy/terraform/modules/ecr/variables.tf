variable "name" {
  description = "Repository name, one per environment (e.g. bankapp-prod)."
  type        = string
}

variable "kms_key_arn" {
  description = "KMS key that encrypts the images."
  type        = string
}

variable "keep_tagged_images" {
  description = "How many tagged images to keep."
  type        = number
  default     = 30
}

variable "untagged_expiry_days" {
  description = "Days after which untagged images expire."
  type        = number
  default     = 7
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}
