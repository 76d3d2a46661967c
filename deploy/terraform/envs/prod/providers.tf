provider "aws" {
  region = var.region

  default_tags {
    tags = {
      Project     = "bankapp"
      Environment = "prod"
      ManagedBy   = "terraform"
      Repository  = var.github_repository
      CostCenter  = "bankapp-prod"
    }
  }
}
