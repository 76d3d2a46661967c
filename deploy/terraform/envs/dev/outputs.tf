output "summary" {
  description = "Seed values as built (the terraform tests assert them)."
  value = {
    vpc_cidr             = module.bankapp.vpc_cidr
    public_subnet_cidrs  = module.bankapp.public_subnet_cidrs
    private_subnet_cidrs = module.bankapp.private_subnet_cidrs
    ecs                  = module.bankapp.ecs
    container            = module.bankapp.container
    rds                  = module.bankapp.rds
    frontend             = module.bankapp.frontend
  }
}

output "deploy" {
  description = "Values for the GitHub environment of this stage."
  value       = module.bankapp.deploy
}
