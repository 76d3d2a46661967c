output "trail_name" {
  description = "CloudTrail trail."
  value       = aws_cloudtrail.this.name
}

output "trail_settings" {
  description = "Trail switches, for tests."
  value = {
    multi_region    = aws_cloudtrail.this.is_multi_region_trail
    log_validation  = aws_cloudtrail.this.enable_log_file_validation
    global_services = aws_cloudtrail.this.include_global_service_events
  }
}
