# BankApp prod: the values of the seed (shared/seed/aws-architecture.md): "Environment Specifications",
# "Network Architecture", "Scaling Strategy" and "Monitoring & Alerting".
module "bankapp" {
  source = "../../modules/stack"

  environment       = "prod"
  azs               = ["us-east-1a", "us-east-1b"]
  domain_name       = "bankapp.example.com"
  zone_id           = var.zone_id
  github_repository = var.github_repository
  github_branch     = ""
  image_tag         = var.image_tag
  alarm_email       = var.alarm_email

  network = {
    vpc_cidr             = "10.2.0.0/16"
    public_subnet_cidrs  = ["10.2.1.0/24", "10.2.2.0/24"]
    private_subnet_cidrs = ["10.2.11.0/24", "10.2.12.0/24"]
  }

  ecs = {
    cpu           = 1024
    memory        = 2048
    desired_count = 3
    min_capacity  = 3
    max_capacity  = 10
    cpu_target    = 70
    use_spot      = false
    step_scaling = {
      enabled        = true
      up_threshold   = 70
      up_minutes     = 2
      down_threshold = 30
      down_minutes   = 5
    }
  }

  rds = {
    instance_class        = "db.t3.medium"
    multi_az              = true
    read_replica          = true
    enhanced_monitoring   = true
    deletion_protection   = true
    backup_retention_days = 35
  }

  frontend = {
    cloudfront_enabled  = true
    waf_enabled         = true
    intelligent_tiering = true
    glacier_after_days  = 90
  }

  alarms = {
    ecs_cpu_percent            = 90
    ecs_cpu_minutes            = 5
    rds_cpu_percent            = 85
    rds_cpu_minutes            = 5
    alb_5xx_count              = 10
    alb_5xx_minutes            = 1
    rds_free_storage_percent   = 10
    ecs_memory_percent         = 80
    ecs_memory_minutes         = 5
    api_p99_latency_seconds    = 2
    api_latency_minutes        = 5
    failed_health_checks_count = 2
  }

  blue_green           = true
  trace_sampling_ratio = 0.05
  maintenance_page     = true
  market_data_provider = "live"
  log_retention_days   = 90
  # Profiling sessions only (docs/runbooks/profiling.md): off by default.
  debug_port_forwarding = var.debug_port_forwarding

  feature_flags = {
    FEATURE_CRYPTO_TRADING = true
  }
}
