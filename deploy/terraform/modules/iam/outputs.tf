output "execution_role_arn" {
  description = "ECS task execution role."
  value       = aws_iam_role.execution.arn
}

output "task_role_arn" {
  description = "ECS task role."
  value       = aws_iam_role.task.arn
}

output "deploy_role_arn" {
  description = "Role that GitHub Actions assumes (AWS_DEPLOY_ROLE_ARN)."
  value       = aws_iam_role.deploy.arn
}
