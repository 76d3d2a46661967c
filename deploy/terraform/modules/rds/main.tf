resource "aws_db_subnet_group" "this" {
  name       = var.name
  subnet_ids = var.private_subnet_ids
  tags       = var.tags
}

resource "aws_db_parameter_group" "this" {
  name   = "${var.name}-pg${var.engine_version}"
  family = "postgres${var.engine_version}"

  # Clients must use TLS.
  parameter {
    name  = "rds.force_ssl"
    value = "1"
  }

  parameter {
    name  = "log_min_duration_statement"
    value = "1000"
  }

  parameter {
    name  = "log_connections"
    value = "1"
  }

  tags = var.tags

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_db_instance" "primary" {
  identifier     = var.name
  engine         = "postgres"
  engine_version = var.engine_version
  instance_class = var.instance_class
  multi_az       = var.multi_az

  db_name  = var.database_name
  username = var.master_username
  # A self-managed secret (secret.tf), not manage_master_user_password: RDS
  # refuses to create a read replica of an instance whose master password it
  # manages. The rotation function replaces this first password at once.
  password = data.aws_secretsmanager_random_password.initial.random_password

  allocated_storage     = var.allocated_storage_gb
  max_allocated_storage = var.max_allocated_storage_gb
  storage_type          = "gp3"
  storage_encrypted     = true
  kms_key_id            = var.kms_key_arn

  db_subnet_group_name   = aws_db_subnet_group.this.name
  vpc_security_group_ids = [var.security_group_id]
  parameter_group_name   = aws_db_parameter_group.this.name
  publicly_accessible    = false
  port                   = 5432

  backup_retention_period     = var.backup_retention_days
  backup_window               = "03:00-03:30"
  maintenance_window          = "sun:04:00-sun:04:30"
  auto_minor_version_upgrade  = true
  allow_major_version_upgrade = false
  copy_tags_to_snapshot       = true
  delete_automated_backups    = false
  deletion_protection         = var.deletion_protection
  skip_final_snapshot         = false
  final_snapshot_identifier   = "${var.name}-final"

  iam_database_authentication_enabled   = true
  enabled_cloudwatch_logs_exports       = ["postgresql", "upgrade"]
  performance_insights_enabled          = var.enhanced_monitoring
  performance_insights_kms_key_id       = var.enhanced_monitoring ? var.kms_key_arn : null
  performance_insights_retention_period = var.enhanced_monitoring ? 7 : null
  monitoring_interval                   = var.enhanced_monitoring ? var.monitoring_interval : 0
  monitoring_role_arn                   = var.enhanced_monitoring ? aws_iam_role.monitoring[0].arn : null

  tags = merge(var.tags, { Name = var.name })

  # The data source draws a new password at every plan; only the first one
  # is ever used (the rotation owns the password after that).
  lifecycle {
    ignore_changes = [password]
  }
}

resource "aws_db_instance" "replica" {
  count = var.read_replica ? 1 : 0

  identifier          = "${var.name}-replica"
  replicate_source_db = aws_db_instance.primary.identifier
  instance_class      = var.instance_class
  multi_az            = false

  storage_encrypted      = true
  kms_key_id             = var.kms_key_arn
  vpc_security_group_ids = [var.security_group_id]
  parameter_group_name   = aws_db_parameter_group.this.name
  publicly_accessible    = false

  backup_retention_period    = 0
  auto_minor_version_upgrade = true
  deletion_protection        = var.deletion_protection
  skip_final_snapshot        = true
  copy_tags_to_snapshot      = true

  iam_database_authentication_enabled   = true
  enabled_cloudwatch_logs_exports       = ["postgresql", "upgrade"]
  performance_insights_enabled          = var.enhanced_monitoring
  performance_insights_kms_key_id       = var.enhanced_monitoring ? var.kms_key_arn : null
  performance_insights_retention_period = var.enhanced_monitoring ? 7 : null
  monitoring_interval                   = var.enhanced_monitoring ? var.monitoring_interval : 0
  monitoring_role_arn                   = var.enhanced_monitoring ? aws_iam_role.monitoring[0].arn : null

  tags = merge(var.tags, { Name = "${var.name}-replica" })
}

resource "aws_iam_role" "monitoring" {
  count = var.enhanced_monitoring ? 1 : 0

  name = "${var.name}-rds-monitoring"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "monitoring.rds.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
  tags = var.tags
}

resource "aws_iam_role_policy_attachment" "monitoring" {
  count = var.enhanced_monitoring ? 1 : 0

  role       = aws_iam_role.monitoring[0].name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole"
}
