# terraform init -backend-config=backend.hcl
# The bucket is made by ../../bootstrap (its output backend_bucket).
bucket       = "bankapp-tfstate-ACCOUNT_ID"
key          = "bankapp/staging/terraform.tfstate"
region       = "us-east-1"
encrypt      = true
use_lockfile = true
