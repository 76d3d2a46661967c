package main

import (
	"encoding/json"
	"os"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov5"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

func testSchema(t *testing.T) *providerSchema {
	t.Helper()
	s, err := loadSchemaFile("testdata/schema.json")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestParseSchema(t *testing.T) {
	s := testSchema(t)
	thing, ok, err := s.Resource("aws_thing")
	if err != nil || !ok || thing.Version != 1 {
		t.Fatalf("aws_thing = %+v", thing)
	}
	attrs := map[string]*tfprotov5.SchemaAttribute{}
	for _, a := range thing.Block.Attributes {
		attrs[a.Name] = a
	}
	if a := attrs["name"]; a == nil || !a.Required || !a.Type.Is(tftypes.String) {
		t.Errorf("name = %+v", a)
	}
	if a := attrs["arn"]; a == nil || !a.Computed || a.Optional {
		t.Errorf("arn = %+v", a)
	}
	if len(thing.Block.BlockTypes) != 2 {
		t.Fatalf("blocks = %d", len(thing.Block.BlockTypes))
	}
	rule := thing.Block.BlockTypes[0]
	if rule.TypeName != "rule" || rule.Nesting != tfprotov5.SchemaNestedBlockNestingModeList || rule.MaxItems != 2 {
		t.Errorf("rule block = %+v", rule)
	}
	if ds, ok, _ := s.DataSource("aws_region"); !ok || ds == nil || s.Provider == nil {
		t.Error("data source or provider schema missing")
	}
	if _, ok, _ := s.Resource("aws_nope"); ok {
		t.Error("unknown resource found")
	}
}

func TestParseSchemaRejects(t *testing.T) {
	for name, doc := range map[string]string{
		"no aws provider": `{"provider_schemas":{"registry.terraform.io/hashicorp/google":{}}}`,
		"bad type":        `{"provider_schemas":{"registry.terraform.io/hashicorp/aws":{"resource_schemas":{"x":{"block":{"attributes":{"a":{"type":"int"}}}}}}}}`,
		"bad nesting":     `{"provider_schemas":{"registry.terraform.io/hashicorp/aws":{"resource_schemas":{"x":{"block":{"block_types":{"b":{"nesting_mode":"bag","block":{}}}}}}}}}`,
		"not json":        `{`,
	} {
		s, err := parseSchema([]byte(doc))
		if err == nil {
			_, err = s.AllResources()
		}
		if err == nil {
			t.Errorf("%s: parsed without error", name)
		}
	}
}

// convertType must agree with tftypes.ParseJSONType, which it replaces for speed.
func TestConvertTypeMatchesParseJSONType(t *testing.T) {
	for _, js := range []string{
		`"string"`, `"number"`, `"bool"`, `"dynamic"`,
		`["list","string"]`, `["set",["map","number"]]`,
		`["object",{"a":"string","b":["list",["object",{"c":"bool"}]]}]`,
		`["tuple",["string","number"]]`,
	} {
		want, err := tftypes.ParseJSONType([]byte(js))
		if err != nil {
			t.Fatal(err)
		}
		var v any
		if err := json.Unmarshal([]byte(js), &v); err != nil {
			t.Fatal(err)
		}
		got, err := convertType(v)
		if err != nil {
			t.Fatalf("%s: %v", js, err)
		}
		if !got.Equal(want) {
			t.Errorf("%s: got %s, want %s", js, got, want)
		}
	}
}

// TestRealSchema loads the hashicorp/aws 5.80.0 schema when the infra test
// points at it (it is not committed: 13 MB).
func TestRealSchema(t *testing.T) {
	path := os.Getenv("TFPROVIDER_SCHEMA")
	if path == "" {
		t.Skip("TFPROVIDER_SCHEMA not set (scripts/infra-test.sh sets it)")
	}
	s, err := loadSchemaFile(path)
	if err != nil {
		t.Fatal(err)
	}
	resources, err := s.AllResources()
	if err != nil {
		t.Fatal(err)
	}
	dataSources, err := s.AllDataSources()
	if err != nil {
		t.Fatal(err)
	}
	if len(resources) < 1000 || len(dataSources) < 400 {
		t.Errorf("resources %d, data sources %d: not the full AWS schema", len(resources), len(dataSources))
	}
	for _, r := range []string{"aws_vpc", "aws_ecs_service", "aws_db_instance", "aws_cloudfront_distribution", "aws_wafv2_web_acl"} {
		if resources[r] == nil {
			t.Errorf("schema lacks %s", r)
		}
	}
}

func TestSchemaPath(t *testing.T) {
	exe := func() (string, error) { return "/mirror/aws/terraform-provider-aws_v5.80.0", nil }
	if p, _ := schemaPath(func(string) string { return "" }, exe); p != "/mirror/aws/schema.json" {
		t.Errorf("beside executable: %s", p)
	}
	env := func(k string) string {
		if k == "TFPROVIDER_SCHEMA" {
			return "/x.json"
		}
		return ""
	}
	if p, _ := schemaPath(env, exe); p != "/x.json" {
		t.Errorf("from env: %s", p)
	}
}
