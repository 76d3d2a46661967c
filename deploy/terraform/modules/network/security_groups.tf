# Security groups as the seed's "Security Groups" section:
#   ALB: in 443 and 80 from 0.0.0.0/0; out 3001 to ECS. Where CloudFront
#        fronts the app (staging, prod), in 443 only from CloudFront's
#        origin-facing prefix list instead: nobody reaches the ALB around
#        CloudFront (and its WAF), and CloudFront speaks HTTPS only to it.
#   ECS: in 3001 from ALB; out 5432 to RDS and 443 to 0.0.0.0/0.
#   RDS: in 5432 from ECS; no egress.
# No inline rules: every rule is its own resource (Terraform removes the
# default allow-all egress rule that AWS adds to a new group).

resource "aws_security_group" "alb" {
  name        = "${var.name}-alb"
  description = "Public load balancer: HTTPS and HTTP (redirect) in, app port out to ECS"
  vpc_id      = aws_vpc.this.id
  tags        = merge(var.tags, { Name = "${var.name}-alb" })
}

resource "aws_security_group" "ecs" {
  name        = "${var.name}-ecs"
  description = "ECS tasks: app port from the ALB, PostgreSQL to RDS, HTTPS out"
  vpc_id      = aws_vpc.this.id
  tags        = merge(var.tags, { Name = "${var.name}-ecs" })
}

resource "aws_security_group" "rds" {
  name        = "${var.name}-rds"
  description = "RDS PostgreSQL: 5432 from ECS only, no egress"
  vpc_id      = aws_vpc.this.id
  tags        = merge(var.tags, { Name = "${var.name}-rds" })
}

#tfsec:ignore:aws-ec2-no-public-ingress-sgr Public HTTPS entry point of a customer-facing app where no CloudFront fronts it (seed: 443 from 0.0.0.0/0).
resource "aws_vpc_security_group_ingress_rule" "alb_https" {
  security_group_id = aws_security_group.alb.id
  description       = var.alb_ingress_prefix_list_id == "" ? "HTTPS from anywhere" : "HTTPS from CloudFront (origin-facing prefix list)"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = var.alb_ingress_prefix_list_id == "" ? "0.0.0.0/0" : null
  prefix_list_id    = var.alb_ingress_prefix_list_id == "" ? null : var.alb_ingress_prefix_list_id
}

#tfsec:ignore:aws-ec2-no-public-ingress-sgr Port 80 only answers with a 301 to HTTPS (seed: 80 from 0.0.0.0/0, redirect to 443).
resource "aws_vpc_security_group_ingress_rule" "alb_http" {
  count = var.alb_ingress_prefix_list_id == "" ? 1 : 0

  security_group_id = aws_security_group.alb.id
  description       = "HTTP from anywhere, redirected to HTTPS"
  ip_protocol       = "tcp"
  from_port         = 80
  to_port           = 80
  cidr_ipv4         = "0.0.0.0/0"
}

resource "aws_vpc_security_group_egress_rule" "alb_to_ecs" {
  security_group_id            = aws_security_group.alb.id
  description                  = "App port to the ECS tasks"
  ip_protocol                  = "tcp"
  from_port                    = var.app_port
  to_port                      = var.app_port
  referenced_security_group_id = aws_security_group.ecs.id
}

resource "aws_vpc_security_group_ingress_rule" "ecs_from_alb" {
  security_group_id            = aws_security_group.ecs.id
  description                  = "App port from the ALB"
  ip_protocol                  = "tcp"
  from_port                    = var.app_port
  to_port                      = var.app_port
  referenced_security_group_id = aws_security_group.alb.id
}

resource "aws_vpc_security_group_egress_rule" "ecs_to_rds" {
  security_group_id            = aws_security_group.ecs.id
  description                  = "PostgreSQL to RDS"
  ip_protocol                  = "tcp"
  from_port                    = var.db_port
  to_port                      = var.db_port
  referenced_security_group_id = aws_security_group.rds.id
}

#tfsec:ignore:aws-ec2-no-public-egress-sgr Tasks call market-data APIs, ECR, Secrets Manager, SSM and CloudWatch over HTTPS through the NAT (seed: 443 to 0.0.0.0/0).
resource "aws_vpc_security_group_egress_rule" "ecs_https_out" {
  security_group_id = aws_security_group.ecs.id
  description       = "HTTPS to external APIs and AWS endpoints"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = "0.0.0.0/0"
}

resource "aws_vpc_security_group_ingress_rule" "rds_from_ecs" {
  security_group_id            = aws_security_group.rds.id
  description                  = "PostgreSQL from the ECS tasks"
  ip_protocol                  = "tcp"
  from_port                    = var.db_port
  to_port                      = var.db_port
  referenced_security_group_id = aws_security_group.ecs.id
}
