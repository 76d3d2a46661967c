output "arn" {
  description = "ALB ARN."
  value       = aws_lb.this.arn
}

output "arn_suffix" {
  description = "ALB ARN suffix (CloudWatch dimension)."
  value       = aws_lb.this.arn_suffix
}

output "dns_name" {
  description = "ALB DNS name."
  value       = aws_lb.this.dns_name
}

output "zone_id" {
  description = "ALB hosted zone id (for alias records)."
  value       = aws_lb.this.zone_id
}

output "https_listener_arn" {
  description = "HTTPS listener (the production listener of blue/green)."
  value       = aws_lb_listener.https.arn
}

output "target_group_arns" {
  description = "Target group ARNs by colour."
  value       = { for k, tg in aws_lb_target_group.this : k => tg.arn }
}

output "target_group_names" {
  description = "Target group names by colour."
  value       = { for k, tg in aws_lb_target_group.this : k => tg.name }
}

output "target_group_arn_suffixes" {
  description = "Target group ARN suffixes by colour (CloudWatch dimension)."
  value       = { for k, tg in aws_lb_target_group.this : k => tg.arn_suffix }
}

output "health_check" {
  description = "Health check settings of the serving target group."
  value = {
    path                = aws_lb_target_group.this["blue"].health_check[0].path
    interval            = aws_lb_target_group.this["blue"].health_check[0].interval
    unhealthy_threshold = aws_lb_target_group.this["blue"].health_check[0].unhealthy_threshold
  }
}

output "deregistration_delay" {
  description = "Seconds a draining target keeps receiving in-flight requests."
  value       = aws_lb_target_group.this["blue"].deregistration_delay
}
