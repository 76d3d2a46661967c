output "vpc_cidr" {
  description = "VPC CIDR."
  value       = module.network.vpc_cidr
}

output "public_subnet_cidrs" {
  description = "Public subnet CIDRs."
  value       = module.network.public_subnet_cidrs
}

output "private_subnet_cidrs" {
  description = "Private subnet CIDRs."
  value       = module.network.private_subnet_cidrs
}

output "nat_gateway_count" {
  description = "NAT gateways (one per AZ)."
  value       = module.network.nat_gateway_count
}

output "ecs" {
  description = "Task size and scaling."
  value = merge(module.ecs.task_size, module.ecs.scaling, {
    stop_timeout         = module.ecs.stop_timeout
    deregistration_delay = module.alb.deregistration_delay
  })
}

output "container" {
  description = "Container contract (port, stop timeout, health check)."
  value       = module.ecs.container_contract
}

output "health_check" {
  description = "ALB health check."
  value       = module.alb.health_check
}

output "rds" {
  description = "Database settings."
  value       = module.rds.settings
}

output "frontend" {
  description = "CloudFront/WAF/storage switches."
  value       = module.frontend.summary
}

output "alarm_names" {
  description = "The seven seed alarms."
  value       = module.monitoring.alarm_names
}

output "alarm_thresholds" {
  description = "Alarm thresholds."
  value       = module.monitoring.alarm_thresholds
}

output "blue_green" {
  description = "Whether CodeDeploy blue/green is set up."
  value       = length(module.codedeploy) == 1
}

output "ecr_scan_on_push" {
  description = "ECR scan on push."
  value       = module.ecr.scan_on_push
}

output "trail" {
  description = "CloudTrail switches."
  value       = module.audit.trail_settings
}

output "deploy" {
  description = "Names the deploy workflows need (set them as GitHub environment variables)."
  value = {
    AWS_REGION              = data.aws_region.current.name
    AWS_DEPLOY_ROLE_ARN     = module.iam.deploy_role_arn
    ECR_REPOSITORY_URL      = module.ecr.repository_url
    ECS_CLUSTER             = module.ecs.cluster_name
    ECS_SERVICE             = module.ecs.service_name
    ECS_TASK_FAMILY         = module.ecs.task_family
    ECS_SUBNETS             = join(",", module.network.private_subnet_ids)
    ECS_SECURITY_GROUP      = module.network.ecs_security_group_id
    FRONTEND_BUCKET         = module.frontend.bucket_name
    CLOUDFRONT_DISTRIBUTION = module.frontend.distribution_id
    DB_INSTANCE_ID          = module.rds.identifier
    CODEDEPLOY_APP          = var.blue_green ? module.codedeploy[0].app_name : ""
    CODEDEPLOY_GROUP        = var.blue_green ? module.codedeploy[0].deployment_group_name : ""
    APP_URL                 = "https://${var.domain_name}"
  }
}
