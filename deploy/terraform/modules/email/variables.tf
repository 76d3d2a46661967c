variable "name" {
  description = "Name prefix, e.g. bankapp-prod (configuration set, topic, alarms)."
  type        = string
}

variable "domain_name" {
  description = "Sending domain (the environment's public name)."
  type        = string
}

variable "zone_id" {
  description = "Route 53 zone of the domain (DKIM, MAIL FROM, DMARC records)."
  type        = string
}

variable "kms_key_arn" {
  description = "Key that encrypts the events topic (its policy lets SES use it)."
  type        = string
}

variable "alarm_topic_arn" {
  description = "SNS topic of the environment's alarms."
  type        = string
}

variable "dmarc_policy" {
  description = "DMARC policy of the domain: none, quarantine or reject."
  type        = string
  default     = "quarantine"
}

variable "bounce_rate_alarm" {
  description = "Bounce rate (0-1) above which the alarm fires."
  type        = number
  default     = 0.02
}

variable "complaint_rate_alarm" {
  description = "Complaint rate (0-1) above which the alarm fires."
  type        = number
  default     = 0.0005
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}
