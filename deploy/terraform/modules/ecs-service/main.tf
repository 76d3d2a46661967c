resource "aws_ecs_cluster" "this" {
  name = var.name

  setting {
    name  = "containerInsights"
    value = "enabled"
  }

  tags = var.tags
}

resource "aws_ecs_cluster_capacity_providers" "this" {
  cluster_name       = aws_ecs_cluster.this.name
  capacity_providers = ["FARGATE", "FARGATE_SPOT"]

  default_capacity_provider_strategy {
    capacity_provider = var.use_spot ? "FARGATE_SPOT" : "FARGATE"
    weight            = 1
  }
}

resource "aws_cloudwatch_log_group" "app" {
  name              = "/bankapp/${var.name}/app"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.kms_key_arn
  tags              = var.tags
}

data "aws_region" "current" {}

locals {
  # ECS waits stop_timeout after SIGTERM before SIGKILL: the app's drain
  # plus a margin. The ALB's deregistration delay matches it.
  stop_timeout = var.drain_seconds + 5

  # Go's soft memory limit at three quarters of the task's memory: the
  # garbage collector works harder before the task nears its hard limit
  # (argon2id hashes take 19 MiB each during sign-in bursts), and memory is
  # given back to the system. A GOMEMLIMIT in var.environment wins.
  environment = merge({ GOMEMLIMIT = "${floor(var.memory * 3 / 4)}MiB" }, var.environment)

  # Sidecars (the OpenTelemetry collector) log to the same group under
  # their own stream prefix; the app starts after them.
  sidecars = [for c in var.sidecars : merge(c, {
    logConfiguration = {
      logDriver = "awslogs"
      options = {
        awslogs-group         = aws_cloudwatch_log_group.app.name
        awslogs-region        = data.aws_region.current.name
        awslogs-stream-prefix = c.name
      }
    }
  })]
  depends_on = length(var.sidecars) == 0 ? {} : { dependsOn = [for c in var.sidecars : { containerName = c.name, condition = "START" }] }

  # The root file system is read-only except while debug_port_forwarding
  # is on: ECS Exec's managed SSM agent writes into the container's file
  # system, and the ECS Exec considerations say a read-only root is not
  # supported (docs/runbooks/profiling.md).
  container = merge(local.depends_on, {
    name                   = "bankapp"
    image                  = var.image
    essential              = true
    command                = ["serve"]
    readonlyRootFilesystem = !var.debug_port_forwarding
    user                   = "65532:65532"
    stopTimeout            = local.stop_timeout
    portMappings           = [{ containerPort = var.container_port, protocol = "tcp" }]
    # The root filesystem is read-only; /tmp is the task's ephemeral storage.
    mountPoints = [{ sourceVolume = "tmp", containerPath = "/tmp", readOnly = false }]
    environment = [for k in sort(keys(local.environment)) : { name = k, value = local.environment[k] }]
    secrets     = [for k in sort(keys(var.secrets)) : { name = k, valueFrom = var.secrets[k] }]
    healthCheck = {
      command     = ["CMD", "/bankapp", "healthcheck"]
      interval    = 30
      timeout     = 5
      retries     = 3
      startPeriod = 30
    }
    logConfiguration = {
      logDriver = "awslogs"
      options = {
        awslogs-group         = aws_cloudwatch_log_group.app.name
        awslogs-region        = data.aws_region.current.name
        awslogs-stream-prefix = "app"
      }
    }
  })
}

resource "aws_ecs_task_definition" "this" {
  family                   = var.name
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = var.cpu
  memory                   = var.memory
  execution_role_arn       = var.execution_role_arn
  task_role_arn            = var.task_role_arn
  container_definitions    = jsonencode(concat([local.container], local.sidecars))

  volume {
    name = "tmp"
  }

  runtime_platform {
    operating_system_family = "LINUX"
    cpu_architecture        = "X86_64"
  }

  tags = var.tags
}

# Two resources for the two deployment controllers, because what Terraform
# may change differs. Rolling (ECS controller, dev/staging): the circuit
# breaker rolls failed deployments back; deploys own the task definition
# and autoscaling the count. Blue/green (CODE_DEPLOY, prod): UpdateService
# cannot change the network configuration, load balancers, platform version
# or capacity providers of such a service (only a CodeDeploy deployment
# can), so Terraform ignores them too, or an apply would fail.
resource "aws_ecs_service" "this" {
  count = var.blue_green ? 0 : 1

  name                              = var.name
  cluster                           = aws_ecs_cluster.this.id
  task_definition                   = aws_ecs_task_definition.this.arn
  desired_count                     = var.desired_count
  health_check_grace_period_seconds = var.health_check_grace_seconds
  enable_execute_command            = var.debug_port_forwarding
  propagate_tags                    = "SERVICE"

  capacity_provider_strategy {
    capacity_provider = var.use_spot ? "FARGATE_SPOT" : "FARGATE"
    weight            = 1
  }

  deployment_controller {
    type = "ECS"
  }

  deployment_circuit_breaker {
    enable   = true
    rollback = true
  }

  deployment_minimum_healthy_percent = 100
  deployment_maximum_percent         = 200

  network_configuration {
    subnets          = var.private_subnet_ids
    security_groups  = [var.security_group_id]
    assign_public_ip = false
  }

  load_balancer {
    target_group_arn = var.target_group_arn
    container_name   = "bankapp"
    container_port   = var.container_port
  }

  lifecycle {
    ignore_changes = [task_definition, desired_count]
  }

  tags = var.tags

  depends_on = [aws_ecs_cluster_capacity_providers.this]
}

resource "aws_ecs_service" "blue_green" {
  count = var.blue_green ? 1 : 0

  name                              = var.name
  cluster                           = aws_ecs_cluster.this.id
  task_definition                   = aws_ecs_task_definition.this.arn
  desired_count                     = var.desired_count
  health_check_grace_period_seconds = var.health_check_grace_seconds
  enable_execute_command            = var.debug_port_forwarding
  propagate_tags                    = "SERVICE"

  capacity_provider_strategy {
    capacity_provider = var.use_spot ? "FARGATE_SPOT" : "FARGATE"
    weight            = 1
  }

  deployment_controller {
    type = "CODE_DEPLOY"
  }

  deployment_minimum_healthy_percent = 100
  deployment_maximum_percent         = 200

  network_configuration {
    subnets          = var.private_subnet_ids
    security_groups  = [var.security_group_id]
    assign_public_ip = false
  }

  load_balancer {
    target_group_arn = var.target_group_arn
    container_name   = "bankapp"
    container_port   = var.container_port
  }

  lifecycle {
    ignore_changes = [task_definition, desired_count, load_balancer, network_configuration, platform_version, capacity_provider_strategy]
  }

  tags = var.tags

  depends_on = [aws_ecs_cluster_capacity_providers.this]
}

locals {
  service_name          = one(concat(aws_ecs_service.this[*].name, aws_ecs_service.blue_green[*].name))
  service_desired_count = one(concat(aws_ecs_service.this[*].desired_count, aws_ecs_service.blue_green[*].desired_count))
}
