package main

import (
	"context"
	"math/big"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov5"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

func mustSchema(t *testing.T, get func(string) (*tfprotov5.Schema, bool, error), name string) *tfprotov5.Schema {
	t.Helper()
	s, ok, err := get(name)
	if err != nil || !ok {
		t.Fatalf("schema %s: %v %v", name, ok, err)
	}
	return s
}

func dyn(t *testing.T, typ tftypes.Type, v tftypes.Value) *tfprotov5.DynamicValue {
	t.Helper()
	dv, err := tfprotov5.NewDynamicValue(typ, v)
	if err != nil {
		t.Fatal(err)
	}
	return &dv
}

func thingValue(typ tftypes.Type, name string, arn tftypes.Value) tftypes.Value {
	obj := typ.(tftypes.Object)
	rule := obj.AttributeTypes["rule"].(tftypes.List).ElementType
	return tftypes.NewValue(typ, map[string]tftypes.Value{
		"id":    tftypes.NewValue(tftypes.String, nil),
		"name":  tftypes.NewValue(tftypes.String, name),
		"arn":   arn,
		"tags":  tftypes.NewValue(obj.AttributeTypes["tags"], nil),
		"ports": tftypes.NewValue(obj.AttributeTypes["ports"], nil),
		"shape": tftypes.NewValue(obj.AttributeTypes["shape"], nil),
		"rule": tftypes.NewValue(obj.AttributeTypes["rule"], []tftypes.Value{
			tftypes.NewValue(rule, map[string]tftypes.Value{
				"port":    tftypes.NewValue(tftypes.Number, big.NewFloat(443)),
				"rule_id": tftypes.NewValue(tftypes.String, nil),
			}),
		}),
		"single": tftypes.NewValue(obj.AttributeTypes["single"], nil),
	})
}

func TestPlanCreateMarksComputedUnknown(t *testing.T) {
	s := &server{schema: testSchema(t)}
	typ := mustSchema(t, s.schema.Resource, "aws_thing").ValueType()
	proposed := thingValue(typ, "web", tftypes.NewValue(tftypes.String, nil))
	resp, err := s.PlanResourceChange(context.Background(), &tfprotov5.PlanResourceChangeRequest{
		TypeName:         "aws_thing",
		PriorState:       dyn(t, typ, tftypes.NewValue(typ, nil)),
		ProposedNewState: dyn(t, typ, proposed),
		Config:           dyn(t, typ, proposed),
	})
	if err != nil || len(resp.Diagnostics) > 0 {
		t.Fatalf("plan: %v %v", err, resp.Diagnostics)
	}
	got, err := resp.PlannedState.Unmarshal(typ)
	if err != nil {
		t.Fatal(err)
	}
	vals := map[string]tftypes.Value{}
	_ = got.As(&vals)
	for _, name := range []string{"id", "arn", "ports", "shape"} {
		if vals[name].IsKnown() {
			t.Errorf("computed %s should be unknown, is %v", name, vals[name])
		}
	}
	var n string
	_ = vals["name"].As(&n)
	if n != "web" {
		t.Errorf("configured name changed to %q", n)
	}
	if !vals["tags"].IsKnown() || !vals["tags"].IsNull() {
		t.Errorf("optional, non-computed tags must stay null: %v", vals["tags"])
	}
	var rules []tftypes.Value
	_ = vals["rule"].As(&rules)
	rv := map[string]tftypes.Value{}
	_ = rules[0].As(&rv)
	if rv["rule_id"].IsKnown() || !rv["port"].IsKnown() {
		t.Errorf("nested block: rule_id %v port %v", rv["rule_id"], rv["port"])
	}
}

func TestPlanUpdateKeepsProposed(t *testing.T) {
	s := &server{schema: testSchema(t)}
	typ := mustSchema(t, s.schema.Resource, "aws_thing").ValueType()
	prior := thingValue(typ, "web", tftypes.NewValue(tftypes.String, "arn:aws:thing/web"))
	resp, err := s.PlanResourceChange(context.Background(), &tfprotov5.PlanResourceChangeRequest{
		TypeName: "aws_thing", PriorState: dyn(t, typ, prior), ProposedNewState: dyn(t, typ, prior), Config: dyn(t, typ, prior),
	})
	if err != nil {
		t.Fatal(err)
	}
	got, _ := resp.PlannedState.Unmarshal(typ)
	if !got.Equal(prior) {
		t.Errorf("update plan changed the proposed state: %v", got)
	}
}

func TestReadDataSourceIsWhollyKnown(t *testing.T) {
	s := &server{schema: testSchema(t)}
	typ := mustSchema(t, s.schema.DataSource, "aws_region").ValueType()
	cfg := tftypes.NewValue(typ, map[string]tftypes.Value{
		"name":     tftypes.NewValue(tftypes.String, "us-east-1"),
		"endpoint": tftypes.NewValue(tftypes.String, nil),
		"zones":    tftypes.NewValue(tftypes.List{ElementType: tftypes.String}, nil),
		"count":    tftypes.NewValue(tftypes.Number, nil),
	})
	resp, err := s.ReadDataSource(context.Background(), &tfprotov5.ReadDataSourceRequest{TypeName: "aws_region", Config: dyn(t, typ, cfg)})
	if err != nil || len(resp.Diagnostics) > 0 {
		t.Fatalf("read: %v %v", err, resp.Diagnostics)
	}
	got, _ := resp.State.Unmarshal(typ)
	if !got.IsFullyKnown() {
		t.Fatalf("data source result has unknowns: %v", got)
	}
	vals := map[string]tftypes.Value{}
	_ = got.As(&vals)
	var name, endpoint string
	_ = vals["name"].As(&name)
	_ = vals["endpoint"].As(&endpoint)
	if name != "us-east-1" || endpoint != "offline" || vals["zones"].IsNull() {
		t.Errorf("name %q endpoint %q zones %v", name, endpoint, vals["zones"])
	}
}

func TestRefusesApplyAndUnknownTypes(t *testing.T) {
	s := &server{schema: testSchema(t)}
	ctx := context.Background()
	apply, _ := s.ApplyResourceChange(ctx, &tfprotov5.ApplyResourceChangeRequest{TypeName: "aws_thing"})
	if len(apply.Diagnostics) != 1 || apply.Diagnostics[0].Severity != tfprotov5.DiagnosticSeverityError {
		t.Errorf("apply must fail: %v", apply.Diagnostics)
	}
	v, _ := s.ValidateResourceTypeConfig(ctx, &tfprotov5.ValidateResourceTypeConfigRequest{TypeName: "aws_nope"})
	if len(v.Diagnostics) != 1 {
		t.Error("unknown resource type accepted")
	}
	d, _ := s.ValidateDataSourceConfig(ctx, &tfprotov5.ValidateDataSourceConfigRequest{TypeName: "aws_nope"})
	if len(d.Diagnostics) != 1 {
		t.Error("unknown data source accepted")
	}
	md, _ := s.GetMetadata(ctx, &tfprotov5.GetMetadataRequest{})
	if len(md.Resources) != 1 || md.Resources[0].TypeName != "aws_thing" || len(md.DataSources) != 1 {
		t.Errorf("metadata = %+v", md)
	}
	ps, _ := s.GetProviderSchema(ctx, &tfprotov5.GetProviderSchemaRequest{})
	if len(ps.ResourceSchemas) != 1 || len(ps.DataSourceSchemas) != 1 || !ps.ServerCapabilities.GetProviderSchemaOptional {
		t.Errorf("provider schema = %+v", ps)
	}
}
