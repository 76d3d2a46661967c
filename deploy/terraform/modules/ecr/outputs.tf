output "repository_url" {
  description = "Repository URL for docker push."
  value       = aws_ecr_repository.this.repository_url
}

output "repository_arn" {
  description = "Repository ARN."
  value       = aws_ecr_repository.this.arn
}

output "scan_on_push" {
  description = "Whether images are scanned on push."
  value       = aws_ecr_repository.this.image_scanning_configuration[0].scan_on_push
}

output "scan_type" {
  description = "Registry scan type (ENHANCED: Amazon Inspector)."
  value       = aws_ecr_registry_scanning_configuration.this.scan_type
}
