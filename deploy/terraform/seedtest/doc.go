// Package seedtest checks the Terraform plans of dev, staging and prod
// against the concrete values of the seed architecture document
// (shared/seed/aws-architecture.md).
//
// scripts/infra-test.sh plans each environment offline through the
// schema-only provider, writes `terraform show -json` of each plan to
// $BANKAPP_PLAN_DIR/<env>.json and runs `go test` here. The one table in
// seed_table_test.go mirrors the seed; changing any of those values in the
// Terraform makes a test fail.
package seedtest
