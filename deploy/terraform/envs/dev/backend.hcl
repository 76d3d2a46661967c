bucket         = "bankapp-terraform-state-ACCOUNT_ID"
key            = "bankapp/dev/terraform.tfstate"
region         = "us-east-1"
dynamodb_table = "bankapp-terraform-locks"
encrypt        = true
