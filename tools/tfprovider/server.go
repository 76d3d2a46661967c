package main

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-go/tfprotov5"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// server is a protocol-5 provider that knows the AWS provider's schema and
// nothing else: it validates, plans (computed values become unknown) and
// reads data sources (computed values become placeholders). It never calls
// AWS and refuses to apply.
type server struct {
	schema *providerSchema
}

var _ tfprotov5.ProviderServer = (*server)(nil)

func errDiag(summary, detail string) []*tfprotov5.Diagnostic {
	return []*tfprotov5.Diagnostic{{Severity: tfprotov5.DiagnosticSeverityError, Summary: summary, Detail: detail}}
}

const offlineDetail = "This is the schema-only offline validation provider (tools/tfprovider). " +
	"Use the real hashicorp/aws provider to change infrastructure; see docs/infra-testing.md."

func (s *server) GetMetadata(context.Context, *tfprotov5.GetMetadataRequest) (*tfprotov5.GetMetadataResponse, error) {
	resp := &tfprotov5.GetMetadataResponse{ServerCapabilities: capabilities()}
	for _, name := range sortedKeys(s.schema.rawResources) {
		resp.Resources = append(resp.Resources, tfprotov5.ResourceMetadata{TypeName: name})
	}
	for _, name := range sortedKeys(s.schema.rawDataSources) {
		resp.DataSources = append(resp.DataSources, tfprotov5.DataSourceMetadata{TypeName: name})
	}
	return resp, nil
}

// capabilities: GetProviderSchemaOptional lets Terraform reuse the schema it
// fetched from the first provider process for every later one in the same
// command, which is most of the offline run's time otherwise.
func capabilities() *tfprotov5.ServerCapabilities {
	return &tfprotov5.ServerCapabilities{PlanDestroy: true, GetProviderSchemaOptional: true}
}

func (s *server) GetProviderSchema(context.Context, *tfprotov5.GetProviderSchemaRequest) (*tfprotov5.GetProviderSchemaResponse, error) {
	resources, err := s.schema.AllResources()
	if err != nil {
		return &tfprotov5.GetProviderSchemaResponse{Diagnostics: errDiag("Invalid schema", err.Error())}, nil
	}
	dataSources, err := s.schema.AllDataSources()
	if err != nil {
		return &tfprotov5.GetProviderSchemaResponse{Diagnostics: errDiag("Invalid schema", err.Error())}, nil
	}
	return &tfprotov5.GetProviderSchemaResponse{
		ServerCapabilities: capabilities(),
		Provider:           s.schema.Provider,
		ResourceSchemas:    resources,
		DataSourceSchemas:  dataSources,
	}, nil
}

// resource looks up a resource schema, turning "unknown" and conversion
// failures into diagnostics.
func (s *server) resource(name string) (*tfprotov5.Schema, []*tfprotov5.Diagnostic) {
	sch, ok, err := s.schema.Resource(name)
	if err != nil {
		return nil, errDiag("Invalid schema", err.Error())
	}
	if !ok {
		return nil, errDiag("Unknown resource type", name)
	}
	return sch, nil
}

// dataSource is resource for data sources.
func (s *server) dataSource(name string) (*tfprotov5.Schema, []*tfprotov5.Diagnostic) {
	sch, ok, err := s.schema.DataSource(name)
	if err != nil {
		return nil, errDiag("Invalid schema", err.Error())
	}
	if !ok {
		return nil, errDiag("Unknown data source", name)
	}
	return sch, nil
}

func (s *server) GetResourceIdentitySchemas(context.Context, *tfprotov5.GetResourceIdentitySchemasRequest) (*tfprotov5.GetResourceIdentitySchemasResponse, error) {
	return &tfprotov5.GetResourceIdentitySchemasResponse{}, nil
}

func (s *server) PrepareProviderConfig(_ context.Context, req *tfprotov5.PrepareProviderConfigRequest) (*tfprotov5.PrepareProviderConfigResponse, error) {
	return &tfprotov5.PrepareProviderConfigResponse{PreparedConfig: req.Config}, nil
}

func (s *server) ConfigureProvider(context.Context, *tfprotov5.ConfigureProviderRequest) (*tfprotov5.ConfigureProviderResponse, error) {
	return &tfprotov5.ConfigureProviderResponse{}, nil
}

func (s *server) StopProvider(context.Context, *tfprotov5.StopProviderRequest) (*tfprotov5.StopProviderResponse, error) {
	return &tfprotov5.StopProviderResponse{}, nil
}

func (s *server) ValidateResourceTypeConfig(_ context.Context, req *tfprotov5.ValidateResourceTypeConfigRequest) (*tfprotov5.ValidateResourceTypeConfigResponse, error) {
	if _, diags := s.resource(req.TypeName); diags != nil {
		return &tfprotov5.ValidateResourceTypeConfigResponse{Diagnostics: diags}, nil
	}
	return &tfprotov5.ValidateResourceTypeConfigResponse{}, nil
}

func (s *server) UpgradeResourceState(_ context.Context, req *tfprotov5.UpgradeResourceStateRequest) (*tfprotov5.UpgradeResourceStateResponse, error) {
	sch, diags := s.resource(req.TypeName)
	if diags != nil {
		return &tfprotov5.UpgradeResourceStateResponse{Diagnostics: diags}, nil
	}
	typ := sch.ValueType()
	v, err := req.RawState.UnmarshalWithOpts(typ, tfprotov5.UnmarshalOpts{ValueFromJSONOpts: tftypes.ValueFromJSONOpts{IgnoreUndefinedAttributes: true}})
	if err != nil {
		return &tfprotov5.UpgradeResourceStateResponse{Diagnostics: errDiag("Cannot read state", err.Error())}, nil
	}
	dv, err := tfprotov5.NewDynamicValue(typ, v)
	if err != nil {
		return nil, fmt.Errorf("tfprovider: upgrade %s: %w", req.TypeName, err)
	}
	return &tfprotov5.UpgradeResourceStateResponse{UpgradedState: &dv}, nil
}

func (s *server) ReadResource(_ context.Context, req *tfprotov5.ReadResourceRequest) (*tfprotov5.ReadResourceResponse, error) {
	return &tfprotov5.ReadResourceResponse{NewState: req.CurrentState, Private: req.Private}, nil
}

func (s *server) PlanResourceChange(_ context.Context, req *tfprotov5.PlanResourceChangeRequest) (*tfprotov5.PlanResourceChangeResponse, error) {
	sch, diags := s.resource(req.TypeName)
	if diags != nil {
		return &tfprotov5.PlanResourceChangeResponse{Diagnostics: diags}, nil
	}
	typ := sch.ValueType()
	proposed, err := req.ProposedNewState.Unmarshal(typ)
	if err != nil {
		return nil, fmt.Errorf("tfprovider: plan %s: proposed state: %w", req.TypeName, err)
	}
	prior, err := req.PriorState.Unmarshal(typ)
	if err != nil {
		return nil, fmt.Errorf("tfprovider: plan %s: prior state: %w", req.TypeName, err)
	}
	planned := proposed
	// On create every computed value the configuration leaves out is
	// unknown; on update the proposed state already carries the prior ones.
	if prior.IsNull() && !proposed.IsNull() {
		if planned, err = fillComputed(sch.Block, proposed, unknownFiller); err != nil {
			return nil, fmt.Errorf("tfprovider: plan %s: %w", req.TypeName, err)
		}
	}
	dv, err := tfprotov5.NewDynamicValue(typ, planned)
	if err != nil {
		return nil, fmt.Errorf("tfprovider: plan %s: %w", req.TypeName, err)
	}
	return &tfprotov5.PlanResourceChangeResponse{PlannedState: &dv, PlannedPrivate: req.PriorPrivate}, nil
}

func (s *server) ApplyResourceChange(_ context.Context, req *tfprotov5.ApplyResourceChangeRequest) (*tfprotov5.ApplyResourceChangeResponse, error) {
	return &tfprotov5.ApplyResourceChangeResponse{Diagnostics: errDiag("Apply is not possible offline", offlineDetail)}, nil
}

func (s *server) ImportResourceState(context.Context, *tfprotov5.ImportResourceStateRequest) (*tfprotov5.ImportResourceStateResponse, error) {
	return &tfprotov5.ImportResourceStateResponse{Diagnostics: errDiag("Import is not possible offline", offlineDetail)}, nil
}

func (s *server) MoveResourceState(context.Context, *tfprotov5.MoveResourceStateRequest) (*tfprotov5.MoveResourceStateResponse, error) {
	return &tfprotov5.MoveResourceStateResponse{Diagnostics: errDiag("Move is not possible offline", offlineDetail)}, nil
}

func (s *server) UpgradeResourceIdentity(context.Context, *tfprotov5.UpgradeResourceIdentityRequest) (*tfprotov5.UpgradeResourceIdentityResponse, error) {
	return &tfprotov5.UpgradeResourceIdentityResponse{Diagnostics: errDiag("Identity is not supported offline", offlineDetail)}, nil
}

func (s *server) ValidateDataSourceConfig(_ context.Context, req *tfprotov5.ValidateDataSourceConfigRequest) (*tfprotov5.ValidateDataSourceConfigResponse, error) {
	if _, diags := s.dataSource(req.TypeName); diags != nil {
		return &tfprotov5.ValidateDataSourceConfigResponse{Diagnostics: diags}, nil
	}
	return &tfprotov5.ValidateDataSourceConfigResponse{}, nil
}

func (s *server) ReadDataSource(_ context.Context, req *tfprotov5.ReadDataSourceRequest) (*tfprotov5.ReadDataSourceResponse, error) {
	sch, diags := s.dataSource(req.TypeName)
	if diags != nil {
		return &tfprotov5.ReadDataSourceResponse{Diagnostics: diags}, nil
	}
	typ := sch.ValueType()
	cfg, err := req.Config.Unmarshal(typ)
	if err != nil {
		return nil, fmt.Errorf("tfprovider: read %s: %w", req.TypeName, err)
	}
	state, err := fillComputed(sch.Block, cfg, placeholderFiller)
	if err != nil {
		return nil, fmt.Errorf("tfprovider: read %s: %w", req.TypeName, err)
	}
	dv, err := tfprotov5.NewDynamicValue(typ, state)
	if err != nil {
		return nil, fmt.Errorf("tfprovider: read %s: %w", req.TypeName, err)
	}
	return &tfprotov5.ReadDataSourceResponse{State: &dv}, nil
}

func (s *server) CallFunction(context.Context, *tfprotov5.CallFunctionRequest) (*tfprotov5.CallFunctionResponse, error) {
	return &tfprotov5.CallFunctionResponse{Error: &tfprotov5.FunctionError{Text: "provider functions are not served offline"}}, nil
}

func (s *server) GetFunctions(context.Context, *tfprotov5.GetFunctionsRequest) (*tfprotov5.GetFunctionsResponse, error) {
	return &tfprotov5.GetFunctionsResponse{Functions: map[string]*tfprotov5.Function{}}, nil
}

func (s *server) ValidateEphemeralResourceConfig(context.Context, *tfprotov5.ValidateEphemeralResourceConfigRequest) (*tfprotov5.ValidateEphemeralResourceConfigResponse, error) {
	return &tfprotov5.ValidateEphemeralResourceConfigResponse{Diagnostics: errDiag("Ephemeral resources are not served offline", offlineDetail)}, nil
}

func (s *server) OpenEphemeralResource(context.Context, *tfprotov5.OpenEphemeralResourceRequest) (*tfprotov5.OpenEphemeralResourceResponse, error) {
	return &tfprotov5.OpenEphemeralResourceResponse{Diagnostics: errDiag("Ephemeral resources are not served offline", offlineDetail)}, nil
}

func (s *server) RenewEphemeralResource(context.Context, *tfprotov5.RenewEphemeralResourceRequest) (*tfprotov5.RenewEphemeralResourceResponse, error) {
	return &tfprotov5.RenewEphemeralResourceResponse{}, nil
}

func (s *server) CloseEphemeralResource(context.Context, *tfprotov5.CloseEphemeralResourceRequest) (*tfprotov5.CloseEphemeralResourceResponse, error) {
	return &tfprotov5.CloseEphemeralResourceResponse{}, nil
}
