# With CloudFront in front (staging, prod), /api/* reaches the ALB from a
# CloudFront edge, which appends the viewer's address to X-Forwarded-For.
# Trusting CloudFront's published ranges as proxies (besides the ALB's
# subnets) makes the app take the viewer's address — the first untrusted hop
# from the right — for the per-IP sign-in limit and the logs, not the edge's.
# A request sent straight to the ALB still counts as its sender: its peer is
# not CloudFront. The ranges are read again at every apply (deploy).
data "aws_ip_ranges" "cloudfront" {
  count    = var.frontend.cloudfront_enabled ? 1 : 0
  services = ["cloudfront"]
}

locals {
  trusted_proxy_cidrs = join(",", concat(
    var.network.public_subnet_cidrs,
    var.frontend.cloudfront_enabled ? data.aws_ip_ranges.cloudfront[0].cidr_blocks : [],
    var.frontend.cloudfront_enabled ? data.aws_ip_ranges.cloudfront[0].ipv6_cidr_blocks : [],
  ))

  db_url      = "postgres://${module.rds.master_username}@${module.rds.address}:5432/${module.rds.database_name}?sslmode=require"
  db_read_url = var.rds.read_replica ? "postgres://${module.rds.master_username}@${module.rds.replica_address}:5432/${module.rds.database_name}?sslmode=require" : ""

  # Settings the task needs before it can reach SSM/Secrets Manager itself.
  # The rest (LOG_FORMAT, MARKET_DATA_PROVIDER, ...) comes from SSM at start-up.
  container_env = merge(
    {
      BANKAPP_ENV                   = "production"
      BANKAPP_ADDR                  = ":3001"
      LOG_FORMAT                    = "json"
      DATABASE_URL                  = local.db_url
      DATABASE_SECRET_ID            = module.rds.master_user_secret_arn
      AWS_SECRETS_MANAGER_SECRET_ID = module.secrets.app_secret_name
      SSM_PARAMETER_PATH            = module.ssm.path
      TRUSTED_PROXY_CIDRS           = local.trusted_proxy_cidrs
    },
    var.rds.read_replica ? { DATABASE_READ_URL = local.db_read_url } : {},
    local.otel_env,
  )

  # The database password is not injected: it rotates, so the app reads
  # DATABASE_SECRET_ID for each new connection (a value injected at start
  # would be stale after the first rotation).
  container_secrets = {
    JWT_SIGNING_KEY = "${module.secrets.app_secret_arn}:JWT_SIGNING_KEY::"
  }
}

module "ecs" {
  source = "../ecs-service"

  name               = local.name
  image              = "${module.ecr.repository_url}:${var.image_tag}"
  cpu                = var.ecs.cpu
  memory             = var.ecs.memory
  desired_count      = var.ecs.desired_count
  min_capacity       = var.ecs.min_capacity
  max_capacity       = var.ecs.max_capacity
  cpu_target         = var.ecs.cpu_target
  step_scaling       = var.ecs.step_scaling
  use_spot           = var.ecs.use_spot
  blue_green         = var.blue_green
  private_subnet_ids = module.network.private_subnet_ids
  security_group_id  = module.network.ecs_security_group_id
  target_group_arn   = module.alb.target_group_arns["blue"]
  execution_role_arn = module.iam.execution_role_arn
  task_role_arn      = module.iam.task_role_arn
  environment        = local.container_env
  secrets            = local.container_secrets
  sidecars           = [local.otel_sidecar]
  log_retention_days = var.log_retention_days
  kms_key_arn        = module.secrets.kms_key_arn
  tags               = local.tags

  debug_port_forwarding = var.debug_port_forwarding
}

module "monitoring" {
  source = "../monitoring"

  name                      = local.name
  alarm_email               = var.alarm_email
  kms_key_arn               = module.secrets.kms_key_arn
  cluster_name              = module.ecs.cluster_name
  service_name              = module.ecs.service_name
  db_instance_id            = module.rds.identifier
  db_allocated_storage_gb   = module.rds.allocated_storage_gb
  alb_arn_suffix            = module.alb.arn_suffix
  target_group_arn_suffixes = module.alb.target_group_arn_suffixes
  app_log_group_name        = module.ecs.log_group_name
  web_acl_name              = module.frontend.web_acl_name
  alarms                    = var.alarms
  tags                      = local.tags
}

module "codedeploy" {
  source = "../codedeploy"
  count  = var.blue_green ? 1 : 0

  name                    = local.name
  cluster_name            = module.ecs.cluster_name
  service_name            = module.ecs.service_name
  listener_arn            = module.alb.https_listener_arn
  blue_target_group_name  = module.alb.target_group_names["blue"]
  green_target_group_name = module.alb.target_group_names["green"]
  rollback_alarm_names    = module.monitoring.rollback_alarm_names
  tags                    = local.tags
}

module "dns" {
  source = "../dns"

  name                   = local.name
  zone_id                = var.zone_id
  domain_name            = var.domain_name
  origin_domain_name     = local.origin
  alb_dns_name           = module.alb.dns_name
  alb_zone_id            = module.alb.zone_id
  cloudfront_domain_name = module.frontend.distribution_domain_name
  tags                   = local.tags
}

module "audit" {
  source = "../audit"

  name                   = local.name
  data_event_bucket_arns = [aws_s3_bucket.blobs.arn]
  tags                   = local.tags
}
