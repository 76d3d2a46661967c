data "aws_region" "current" {}

locals {
  name   = "bankapp-${var.environment}"
  origin = "origin.${var.domain_name}"
  tags   = { Component = "bankapp" }
}

module "secrets" {
  source = "../secrets"

  name                 = local.name
  recovery_window_days = var.environment == "prod" ? 30 : 7
  tags                 = local.tags
}

# CloudFront's origin-facing addresses (AWS-managed prefix list).
data "aws_ec2_managed_prefix_list" "cloudfront" {
  count = var.frontend.cloudfront_enabled ? 1 : 0
  name  = "com.amazonaws.global.cloudfront.origin-facing"
}

module "network" {
  source = "../network"

  alb_ingress_prefix_list_id = var.frontend.cloudfront_enabled ? data.aws_ec2_managed_prefix_list.cloudfront[0].id : ""

  name                 = local.name
  vpc_cidr             = var.network.vpc_cidr
  azs                  = var.azs
  public_subnet_cidrs  = var.network.public_subnet_cidrs
  private_subnet_cidrs = var.network.private_subnet_cidrs
  kms_key_arn          = module.secrets.kms_key_arn
  tags                 = local.tags
}

module "ecr" {
  source = "../ecr"

  name        = local.name
  kms_key_arn = module.secrets.kms_key_arn
  tags        = local.tags
}

module "alb" {
  source = "../alb"

  name                = local.name
  vpc_id              = module.network.vpc_id
  public_subnet_ids   = module.network.public_subnet_ids
  security_group_id   = module.network.alb_security_group_id
  domain_name         = local.origin
  alternative_names   = var.frontend.cloudfront_enabled ? [] : [var.domain_name]
  zone_id             = var.zone_id
  unhealthy_threshold = var.alarms.failed_health_checks_count + 1
  blue_green          = var.blue_green
  deletion_protection = var.environment == "prod"
  tags                = local.tags
}

module "rds" {
  source = "../rds"

  name                  = local.name
  instance_class        = var.rds.instance_class
  multi_az              = var.rds.multi_az
  read_replica          = var.rds.read_replica
  enhanced_monitoring   = var.rds.enhanced_monitoring
  deletion_protection   = var.rds.deletion_protection
  backup_retention_days = var.rds.backup_retention_days
  private_subnet_ids    = module.network.private_subnet_ids
  security_group_id     = module.network.rds_security_group_id
  vpc_id                = module.network.vpc_id
  kms_key_arn           = module.secrets.kms_key_arn

  secret_recovery_window_days = var.environment == "prod" ? 30 : 7

  tags = local.tags
}

module "frontend" {
  source = "../frontend"

  name                = local.name
  cloudfront_enabled  = var.frontend.cloudfront_enabled
  waf_enabled         = var.frontend.waf_enabled
  intelligent_tiering = var.frontend.intelligent_tiering
  glacier_after_days  = var.frontend.glacier_after_days
  maintenance_page    = var.maintenance_page
  domain_name         = var.domain_name
  zone_id             = var.zone_id
  api_origin_domain   = local.origin
  kms_key_arn         = module.secrets.kms_key_arn
  tags                = local.tags
}

module "ssm" {
  source = "../ssm"

  environment   = var.environment
  feature_flags = var.feature_flags
  tags          = local.tags
  settings = {
    BANKAPP_ENV          = "production"
    LOG_FORMAT           = "json"
    LOG_LEVEL            = var.environment == "prod" ? "info" : "debug"
    MARKET_DATA_PROVIDER = var.market_data_provider
    # production mode refuses the simulated market unless opted in (dev).
    ALLOW_SIMULATED_MARKET = tostring(var.market_data_provider == "simulated")
    BANKAPP_PUBLIC_ORIGIN  = "https://${var.domain_name}"
    # Mail through SES (modules/email; docs/email.md).
    MAIL_DRIVER           = "ses"
    MAIL_FROM             = "BankApp <${module.email.from_address}>"
    SES_CONFIGURATION_SET = module.email.configuration_set_name
    BLOB_STORE            = "s3://${aws_s3_bucket.blobs.id}/blobs"
    # TRUSTED_PROXY_CIDRS is on the task definition (service.tf): with
    # CloudFront's ranges it outgrows an SSM parameter's 4 KB.
  }
}

module "email" {
  source = "../email"

  name            = local.name
  domain_name     = var.domain_name
  zone_id         = var.zone_id
  kms_key_arn     = module.secrets.kms_key_arn
  alarm_topic_arn = module.monitoring.topic_arn
  tags            = local.tags
}

module "iam" {
  source = "../iam"

  name                        = local.name
  environment                 = var.environment
  github_repository           = var.github_repository
  github_branch               = var.github_branch
  create_github_oidc_provider = var.create_github_oidc_provider
  app_secret_arn              = module.secrets.app_secret_arn
  db_secret_arn               = module.rds.master_user_secret_arn
  kms_key_arn                 = module.secrets.kms_key_arn
  ssm_parameter_path          = module.ssm.path
  blob_bucket_arn             = aws_s3_bucket.blobs.arn
  ecr_repository_arn          = module.ecr.repository_arn
  frontend_bucket_arn         = module.frontend.bucket_arn
  cloudfront_distribution_arn = module.frontend.distribution_arn
  db_instance_arn             = module.rds.arn
  collector_config_arn        = aws_ssm_parameter.otel_collector.arn
  email_domain                = var.domain_name
  email_configuration_set     = local.name
  metrics_log_group_arn       = aws_cloudwatch_log_group.otel_metrics.arn
  debug_port_forwarding       = var.debug_port_forwarding
  tags                        = local.tags
}
