# Tracing and metrics through an AWS Distro for OpenTelemetry collector
# sidecar (docs/observability.md). The app exports OTLP over HTTP to the
# collector on localhost (awsvpc: the task's containers share it); the
# collector sends traces to X-Ray and scrapes a few business metrics from
# the app's private metrics listener (127.0.0.1:9090, never exposed) into
# CloudWatch through embedded-metric-format logs.

locals {
  # Head sampling in the app (parent-based, trace-id ratio): every trace in
  # dev, half in staging, 5 % in prod. A caller's sampled traceparent is
  # always followed.
  otel_env = {
    OTEL_EXPORTER_OTLP_ENDPOINT = "http://localhost:4318"
    OTEL_EXPORTER_OTLP_PROTOCOL = "http/protobuf"
    OTEL_SERVICE_NAME           = "bankapp"
    OTEL_TRACES_SAMPLER         = "parentbased_traceidratio"
    OTEL_TRACES_SAMPLER_ARG     = tostring(var.trace_sampling_ratio)
    OTEL_RESOURCE_ATTRIBUTES    = "deployment.environment=${var.environment}"
    METRICS_ADDR                = "127.0.0.1:9090"
  }

  # Only these series go to CloudWatch (each series there is a billed custom
  # metric); everything stays on the metrics listener for operators.
  otel_exported_metrics = [
    "bankapp_money_movements_total",
    "bankapp_login_failures_total",
    "bankapp_account_lockouts_total",
    "bankapp_jobs_failed_total",
    "bankapp_jobs_lag_seconds",
    "bankapp_market_breaker_state",
  ]

  otel_collector_config = yamlencode({
    extensions = { health_check = {} }
    receivers = {
      otlp = { protocols = {
        grpc = { endpoint = "127.0.0.1:4317" }
        http = { endpoint = "127.0.0.1:4318" }
      } }
      prometheus = { config = { scrape_configs = [{
        job_name        = "bankapp"
        scrape_interval = "60s"
        static_configs  = [{ targets = ["127.0.0.1:9090"] }]
        metric_relabel_configs = [{
          source_labels = ["__name__"]
          regex         = join("|", local.otel_exported_metrics)
          action        = "keep"
        }]
      }] } }
    }
    processors = {
      memory_limiter = { check_interval = "1s", limit_mib = 100, spike_limit_mib = 20 }
      batch          = { timeout = "5s" }
    }
    exporters = {
      awsxray = { region = data.aws_region.current.name }
      awsemf = {
        region                  = data.aws_region.current.name
        namespace               = "BankApp"
        log_group_name          = aws_cloudwatch_log_group.otel_metrics.name
        log_stream_name         = "{TaskId}"
        dimension_rollup_option = "NoDimensionRollup"
      }
    }
    service = {
      extensions = ["health_check"]
      pipelines = {
        traces  = { receivers = ["otlp"], processors = ["memory_limiter", "batch"], exporters = ["awsxray"] }
        metrics = { receivers = ["prometheus"], processors = ["memory_limiter", "batch"], exporters = ["awsemf"] }
      }
    }
  })

  otel_collector_parameter = "/bankapp-otel/${var.environment}/collector-config"

  otel_sidecar = {
    name                   = "otel-collector"
    image                  = var.otel_collector_image
    essential              = false
    readonlyRootFilesystem = true
    # The collector reads its configuration from AOT_CONFIG_CONTENT.
    secrets           = [{ name = "AOT_CONFIG_CONTENT", valueFrom = aws_ssm_parameter.otel_collector.arn }]
    memoryReservation = 64
    healthCheck = {
      command     = ["/healthcheck"]
      interval    = 30
      timeout     = 5
      retries     = 3
      startPeriod = 10
    }
  }
}

# Outside /bankapp/<env>: the app loads that path into its environment, and
# this parameter is not a setting of the app.
resource "aws_ssm_parameter" "otel_collector" {
  name        = local.otel_collector_parameter
  description = "ADOT collector configuration of ${local.name} (AOT_CONFIG_CONTENT)"
  type        = "String"
  value       = local.otel_collector_config
  tags        = local.tags
}

resource "aws_cloudwatch_log_group" "otel_metrics" {
  name              = "/bankapp/${local.name}/metrics"
  retention_in_days = var.log_retention_days
  kms_key_id        = module.secrets.kms_key_arn
  tags              = local.tags
}
