// Command terraform-provider-aws is a schema-only stand-in for the
// hashicorp/aws provider, for validating and planning Terraform offline.
//
// It serves the provider schema found in schema.json next to its executable
// (or in $TFPROVIDER_SCHEMA), speaks plugin protocol 5, never calls AWS and
// cannot apply. scripts/infra-test.sh builds it and installs it through a
// filesystem_mirror; docs/infra-testing.md explains why.
package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/hashicorp/terraform-plugin-go/tfprotov5"
	"github.com/hashicorp/terraform-plugin-go/tfprotov5/tf5server"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func run() error {
	path, err := schemaPath(os.Getenv, os.Executable)
	if err != nil {
		return err
	}
	sch, err := loadSchemaFile(path)
	if err != nil {
		return err
	}
	return tf5server.Serve(providerAddress, func() tfprotov5.ProviderServer { return &server{schema: sch} })
}

// schemaPath finds the schema file: $TFPROVIDER_SCHEMA, else schema.json
// beside the executable (the filesystem mirror ships both together).
func schemaPath(getenv func(string) string, executable func() (string, error)) (string, error) {
	if p := getenv("TFPROVIDER_SCHEMA"); p != "" {
		return p, nil
	}
	exe, err := executable()
	if err != nil {
		return "", fmt.Errorf("tfprovider: locate executable: %w", err)
	}
	return filepath.Join(filepath.Dir(exe), "schema.json"), nil
}
