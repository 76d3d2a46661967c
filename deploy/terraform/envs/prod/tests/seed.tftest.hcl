# terraform test: the prod root against a mocked AWS provider (no network).
# Each assertion is a value of the seed document for prod.

mock_provider "aws" {
  # The rotation function's stack output, which a real apply gets from the
  # Serverless Application Repository template.
  mock_resource "aws_serverlessapplicationrepository_cloudformation_stack" {
    defaults = {
      outputs = { RotationLambdaARN = "arn:aws:lambda:us-east-1:123456789012:function:bankapp-db-rotation" }
    }
  }

  # The three Easy DKIM tokens SES returns.
  mock_resource "aws_sesv2_email_identity" {
    defaults = {
      dkim_signing_attributes = { tokens = ["tokenone", "tokentwo", "tokenthree"] }
    }
  }
}

variables {
  zone_id = "Z0000000000000000000"
}

run "seed_values" {
  command = apply

  assert {
    condition     = module.bankapp.vpc_cidr == "10.2.0.0/16"
    error_message = "VPC CIDR must be 10.2.0.0/16."
  }

  assert {
    condition     = jsonencode(module.bankapp.public_subnet_cidrs) == jsonencode(["10.2.1.0/24", "10.2.2.0/24"])
    error_message = "Public subnets must be 10.2.1.0/24 and 10.2.2.0/24."
  }

  assert {
    condition     = jsonencode(module.bankapp.private_subnet_cidrs) == jsonencode(["10.2.11.0/24", "10.2.12.0/24"])
    error_message = "Private subnets must be 10.2.11.0/24 and 10.2.12.0/24."
  }

  assert {
    condition     = module.bankapp.nat_gateway_count == 2
    error_message = "One NAT gateway per AZ."
  }

  assert {
    condition     = module.bankapp.ecs.cpu == "1024" && module.bankapp.ecs.memory == "2048"
    error_message = "Task size must be 1024 CPU units / 2048 MiB."
  }

  assert {
    condition     = module.bankapp.ecs.desired == 3 && module.bankapp.ecs.min == 3 && module.bankapp.ecs.max == 10
    error_message = "Tasks: desired 3, min 3, max 10."
  }

  assert {
    condition     = module.bankapp.ecs.cpu_target == 70 && module.bankapp.ecs.step_enabled == true
    error_message = "CPU target 70%, step scaling true."
  }

  assert {
    condition     = module.bankapp.ecs.capacity == "FARGATE"
    error_message = "Capacity provider must be FARGATE."
  }

  assert {
    condition     = module.bankapp.ecs.stop_timeout == 30 && module.bankapp.ecs.deregistration_delay == "30"
    error_message = "Stop timeout and deregistration delay must cover the app's 25 s drain."
  }

  assert {
    condition     = module.bankapp.health_check.path == "/healthz" && module.bankapp.health_check.interval == 30
    error_message = "ALB health check: /healthz (liveness) every 30 s."
  }

  assert {
    condition     = module.bankapp.rds.instance_class == "db.t3.medium"
    error_message = "RDS class must be db.t3.medium."
  }

  assert {
    condition     = module.bankapp.rds.multi_az == true && module.bankapp.rds.read_replica == true
    error_message = "Multi-AZ true, read replica true."
  }

  assert {
    condition     = module.bankapp.rds.backup_retention_days == 35 && module.bankapp.rds.storage_encrypted && module.bankapp.rds.auto_minor_upgrade
    error_message = "35-day backups, encryption and minor upgrades."
  }

  assert {
    condition     = module.bankapp.frontend.cloudfront == true && module.bankapp.frontend.waf == true
    error_message = "CloudFront true, WAF true."
  }

  assert {
    condition     = module.bankapp.frontend.intelligent_tiering == true && module.bankapp.frontend.glacier_after_days == 90
    error_message = "Intelligent-Tiering true; Glacier after 90 days."
  }

  assert {
    condition     = length(module.bankapp.alarm_names) == 7
    error_message = "The seed's seven alarms."
  }

  assert {
    condition = (module.bankapp.alarm_thresholds.ecs_cpu_high == 90 && module.bankapp.alarm_thresholds.rds_cpu_high == 85 &&
      module.bankapp.alarm_thresholds.alb_5xx == 10 && module.bankapp.alarm_thresholds.ecs_memory_high == 80 &&
    module.bankapp.alarm_thresholds.api_latency_p99 == 2 && module.bankapp.alarm_thresholds.rds_storage_low == 20 * 1073741824 * 10 / 100)
    error_message = "Alarm thresholds must be the seed's."
  }

  assert {
    condition     = module.bankapp.blue_green == true
    error_message = "Blue/green deployments: true."
  }

  assert {
    condition     = module.bankapp.ecr_scan_on_push && module.bankapp.trail.multi_region && module.bankapp.trail.log_validation
    error_message = "ECR scan on push and a multi-region, validated CloudTrail."
  }
}
