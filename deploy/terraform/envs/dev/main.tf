# BankApp dev: the values of the seed (shared/seed/aws-architecture.md): "Environment Specifications",
# "Network Architecture", "Scaling Strategy" and "Monitoring & Alerting".
module "bankapp" {
  source = "../../modules/stack"

  environment       = "dev"
  azs               = ["us-east-1a", "us-east-1b"]
  domain_name       = "dev.bankapp.example.com"
  zone_id           = var.zone_id
  github_repository = var.github_repository
  github_branch     = "develop"
  image_tag         = var.image_tag
  alarm_email       = var.alarm_email

  network = {
    vpc_cidr             = "10.0.0.0/16"
    public_subnet_cidrs  = ["10.0.1.0/24", "10.0.2.0/24"]
    private_subnet_cidrs = ["10.0.11.0/24", "10.0.12.0/24"]
  }

  ecs = {
    cpu           = 256
    memory        = 512
    desired_count = 1
    min_capacity  = 1
    max_capacity  = 2
    cpu_target    = 80
    use_spot      = true
    step_scaling = {
      enabled        = false
      up_threshold   = 70
      up_minutes     = 2
      down_threshold = 30
      down_minutes   = 5
    }
  }

  rds = {
    instance_class        = "db.t3.micro"
    multi_az              = false
    read_replica          = false
    enhanced_monitoring   = false
    deletion_protection   = false
    backup_retention_days = 35
  }

  frontend = {
    cloudfront_enabled  = false
    waf_enabled         = false
    intelligent_tiering = false
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

  blue_green           = false
  trace_sampling_ratio = 1.0
  maintenance_page     = false
  market_data_provider = "simulated"
  log_retention_days   = 14
  # Profiling sessions only (docs/runbooks/profiling.md): off by default.
  debug_port_forwarding = var.debug_port_forwarding

  feature_flags = {
    FEATURE_CRYPTO_TRADING = true
  }
}
