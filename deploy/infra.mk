# Infrastructure checks, included by the top-level Makefile
# (`include deploy/infra.mk`). Offline: see docs/infra-testing.md.
.PHONY: infra-test

## infra-test: terraform fmt/validate/plan/test of dev, staging, prod through the schema-only provider; seed table test; tfsec; tflint; actionlint
infra-test:
	bash scripts/infra-test.sh
