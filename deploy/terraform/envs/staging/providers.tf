provider "aws" {
  region = var.region

  default_tags {
    tags = {
      Project     = "bankapp"
      Environment = "staging"
      ManagedBy   = "terraform"
      Repository  = var.github_repository
      CostCenter  = "bankapp-staging"
    }
  }
}
