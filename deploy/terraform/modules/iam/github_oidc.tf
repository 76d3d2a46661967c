resource "aws_iam_openid_connect_provider" "github" {
  count = var.create_github_oidc_provider ? 1 : 0

  url             = "https://token.actions.githubusercontent.com"
  client_id_list  = ["sts.amazonaws.com"]
  thumbprint_list = ["6938fd4d98bab03faadb97b34396831e3780aea1", "1c58a3a8518e8759bf075b76b750d4f2df264fcd"]
  tags            = var.tags
}

locals {
  oidc_provider_arn = "arn:${local.partition}:iam::${local.account}:oidc-provider/token.actions.githubusercontent.com"
  github_subjects = compact([
    "repo:${var.github_repository}:environment:${var.environment}",
    var.github_branch == "" ? "" : "repo:${var.github_repository}:ref:refs/heads/${var.github_branch}",
  ])
}

# The role GitHub Actions assumes through OIDC: no long-lived keys.
resource "aws_iam_role" "deploy" {
  name = "${var.name}-github-deploy"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Federated = local.oidc_provider_arn }
      Action    = "sts:AssumeRoleWithWebIdentity"
      Condition = {
        StringEquals = { "token.actions.githubusercontent.com:aud" = "sts.amazonaws.com" }
        StringLike   = { "token.actions.githubusercontent.com:sub" = local.github_subjects }
      }
    }]
  })
  # Longer than the longest deploy job (prod: snapshot, build, migrations,
  # CodeDeploy canary and the 15-minute blue hold, then the S3 sync and the
  # invalidation): _deploy.yml asks for this duration and stops the job
  # before it runs out (seedtest checks the three numbers agree).
  max_session_duration = var.deploy_session_seconds
  tags                 = var.tags

  depends_on = [aws_iam_openid_connect_provider.github]
}

resource "aws_iam_role_policy" "deploy" {
  name   = "deploy-bankapp"
  role   = aws_iam_role.deploy.id
  policy = data.aws_iam_policy_document.deploy.json
}
