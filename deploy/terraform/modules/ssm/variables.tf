variable "environment" {
  description = "Environment name (dev, staging, prod)."
  type        = string
}

variable "settings" {
  description = "Non-secret settings: environment-variable name to value."
  type        = map(string)
}

variable "feature_flags" {
  description = "Feature flags: FEATURE_* name to on/off."
  type        = map(bool)
  default     = {}
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}
