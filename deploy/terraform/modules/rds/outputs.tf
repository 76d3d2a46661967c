output "identifier" {
  description = "Primary DB identifier."
  value       = aws_db_instance.primary.identifier
}

output "arn" {
  description = "Primary DB ARN."
  value       = aws_db_instance.primary.arn
}

output "address" {
  description = "Primary endpoint host."
  value       = aws_db_instance.primary.address
}

output "replica_address" {
  description = "Read replica endpoint host (empty without a replica)."
  value       = var.read_replica ? aws_db_instance.replica[0].address : ""
}

output "replica_identifier" {
  description = "Read replica identifier (empty without a replica)."
  value       = var.read_replica ? aws_db_instance.replica[0].identifier : ""
}

output "master_user_secret_arn" {
  description = "Secrets Manager secret of the master user (rotated; DATABASE_SECRET_ID)."
  value       = aws_secretsmanager_secret.master.arn
}

output "database_name" {
  description = "Database name."
  value       = var.database_name
}

output "master_username" {
  description = "Master user name."
  value       = var.master_username
}

output "allocated_storage_gb" {
  description = "Allocated storage (the free-storage alarm is a share of it)."
  value       = aws_db_instance.primary.allocated_storage
}

output "settings" {
  description = "Class, Multi-AZ, backups and replica, for tests."
  value = {
    instance_class        = aws_db_instance.primary.instance_class
    multi_az              = aws_db_instance.primary.multi_az
    backup_retention_days = aws_db_instance.primary.backup_retention_period
    read_replica          = var.read_replica
    deletion_protection   = aws_db_instance.primary.deletion_protection
    storage_encrypted     = aws_db_instance.primary.storage_encrypted
    auto_minor_upgrade    = aws_db_instance.primary.auto_minor_version_upgrade
    rotation_days         = var.rotation_days
  }
}
