package main

import (
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"sync"

	"github.com/hashicorp/terraform-plugin-go/tfprotov5"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// providerAddress is the provider whose schema the JSON document must hold.
const providerAddress = "registry.terraform.io/hashicorp/aws"

// jsonSchemas is the shape of `terraform providers schema -json` output.
type jsonSchemas struct {
	FormatVersion   string                        `json:"format_version"`
	ProviderSchemas map[string]jsonProviderSchema `json:"provider_schemas"`
}

type jsonProviderSchema struct {
	Provider          jsonSchema                 `json:"provider"`
	ResourceSchemas   map[string]json.RawMessage `json:"resource_schemas"`
	DataSourceSchemas map[string]json.RawMessage `json:"data_source_schemas"`
}

type jsonSchema struct {
	Version int64     `json:"version"`
	Block   jsonBlock `json:"block"`
}

type jsonBlock struct {
	Attributes map[string]jsonAttribute `json:"attributes"`
	BlockTypes map[string]jsonBlockType `json:"block_types"`
	Deprecated bool                     `json:"deprecated"`
}

type jsonAttribute struct {
	Type       any             `json:"type"`
	NestedType json.RawMessage `json:"nested_type"`
	Required   bool            `json:"required"`
	Optional   bool            `json:"optional"`
	Computed   bool            `json:"computed"`
	Sensitive  bool            `json:"sensitive"`
	Deprecated bool            `json:"deprecated"`
	WriteOnly  bool            `json:"write_only"`
}

type jsonBlockType struct {
	NestingMode string    `json:"nesting_mode"`
	Block       jsonBlock `json:"block"`
	MinItems    int64     `json:"min_items"`
	MaxItems    int64     `json:"max_items"`
}

// providerSchema is the protocol-5 schema of one provider. Resource and
// data source schemas are converted on first use: a plan touches a few dozen
// of the ~2000 types, and Terraform caches the full schema (the provider
// advertises GetProviderSchemaOptional), so most provider processes never
// convert the rest.
type providerSchema struct {
	Provider *tfprotov5.Schema

	rawResources   map[string]json.RawMessage
	rawDataSources map[string]json.RawMessage

	mu          sync.Mutex
	resources   map[string]*tfprotov5.Schema
	dataSources map[string]*tfprotov5.Schema
}

// loadSchemaFile reads a `terraform providers schema -json` file.
func loadSchemaFile(path string) (*providerSchema, error) {
	buf, err := os.ReadFile(path) // #nosec G304 -- the schema path is given by the operator building the provider
	if err != nil {
		return nil, fmt.Errorf("tfprovider: read schema: %w", err)
	}
	return parseSchema(buf)
}

// parseSchema decodes the JSON schema document of providerAddress; the
// provider block is converted at once, the rest on demand.
func parseSchema(buf []byte) (*providerSchema, error) {
	var doc jsonSchemas
	if err := json.Unmarshal(buf, &doc); err != nil {
		return nil, fmt.Errorf("tfprovider: decode schema: %w", err)
	}
	ps, ok := doc.ProviderSchemas[providerAddress]
	if !ok {
		return nil, fmt.Errorf("tfprovider: schema has no %s provider", providerAddress)
	}
	out := &providerSchema{
		rawResources:   ps.ResourceSchemas,
		rawDataSources: ps.DataSourceSchemas,
		resources:      map[string]*tfprotov5.Schema{},
		dataSources:    map[string]*tfprotov5.Schema{},
	}
	var err error
	if out.Provider, err = convertSchema(ps.Provider); err != nil {
		return nil, fmt.Errorf("tfprovider: provider block: %w", err)
	}
	return out, nil
}

// Resource returns the schema of a managed resource type; ok is false for
// a type the provider does not have.
func (p *providerSchema) Resource(name string) (*tfprotov5.Schema, bool, error) {
	return p.lookup(p.rawResources, p.resources, "resource", name)
}

// DataSource returns the schema of a data source type.
func (p *providerSchema) DataSource(name string) (*tfprotov5.Schema, bool, error) {
	return p.lookup(p.rawDataSources, p.dataSources, "data source", name)
}

func (p *providerSchema) lookup(raw map[string]json.RawMessage, done map[string]*tfprotov5.Schema, kind, name string) (*tfprotov5.Schema, bool, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if s, ok := done[name]; ok {
		return s, true, nil
	}
	r, ok := raw[name]
	if !ok {
		return nil, false, nil
	}
	var js jsonSchema
	if err := json.Unmarshal(r, &js); err != nil {
		return nil, true, fmt.Errorf("tfprovider: %s %s: %w", kind, name, err)
	}
	s, err := convertSchema(js)
	if err != nil {
		return nil, true, fmt.Errorf("tfprovider: %s %s: %w", kind, name, err)
	}
	done[name] = s
	return s, true, nil
}

// AllResources converts and returns every resource schema.
func (p *providerSchema) AllResources() (map[string]*tfprotov5.Schema, error) {
	return p.all(p.rawResources, p.Resource)
}

// AllDataSources converts and returns every data source schema.
func (p *providerSchema) AllDataSources() (map[string]*tfprotov5.Schema, error) {
	return p.all(p.rawDataSources, p.DataSource)
}

func (p *providerSchema) all(raw map[string]json.RawMessage, get func(string) (*tfprotov5.Schema, bool, error)) (map[string]*tfprotov5.Schema, error) {
	out := make(map[string]*tfprotov5.Schema, len(raw))
	for name := range raw {
		s, _, err := get(name)
		if err != nil {
			return nil, err
		}
		out[name] = s
	}
	return out, nil
}

func convertSchema(s jsonSchema) (*tfprotov5.Schema, error) {
	b, err := convertBlock(s.Block)
	if err != nil {
		return nil, err
	}
	return &tfprotov5.Schema{Version: s.Version, Block: b}, nil
}

var nestingModes = map[string]tfprotov5.SchemaNestedBlockNestingMode{
	"single": tfprotov5.SchemaNestedBlockNestingModeSingle,
	"list":   tfprotov5.SchemaNestedBlockNestingModeList,
	"set":    tfprotov5.SchemaNestedBlockNestingModeSet,
	"map":    tfprotov5.SchemaNestedBlockNestingModeMap,
	"group":  tfprotov5.SchemaNestedBlockNestingModeGroup,
}

func convertBlock(jb jsonBlock) (*tfprotov5.SchemaBlock, error) {
	b := &tfprotov5.SchemaBlock{Deprecated: jb.Deprecated}
	for _, name := range sortedKeys(jb.Attributes) {
		ja := jb.Attributes[name]
		if len(ja.NestedType) > 0 {
			return nil, fmt.Errorf("attribute %s: nested attribute types need protocol 6", name)
		}
		t, err := convertType(ja.Type)
		if err != nil {
			return nil, fmt.Errorf("attribute %s: %w", name, err)
		}
		b.Attributes = append(b.Attributes, &tfprotov5.SchemaAttribute{
			Name: name, Type: t, Required: ja.Required, Optional: ja.Optional,
			Computed: ja.Computed, Sensitive: ja.Sensitive, Deprecated: ja.Deprecated,
			WriteOnly: ja.WriteOnly,
		})
	}
	for _, name := range sortedKeys(jb.BlockTypes) {
		jt := jb.BlockTypes[name]
		mode, ok := nestingModes[jt.NestingMode]
		if !ok {
			return nil, fmt.Errorf("block %s: unknown nesting mode %q", name, jt.NestingMode)
		}
		nb, err := convertBlock(jt.Block)
		if err != nil {
			return nil, fmt.Errorf("block %s: %w", name, err)
		}
		b.BlockTypes = append(b.BlockTypes, &tfprotov5.SchemaNestedBlock{
			TypeName: name, Block: nb, Nesting: mode, MinItems: jt.MinItems, MaxItems: jt.MaxItems,
		})
	}
	return b, nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// convertType turns a decoded cty JSON type ("string", ["list","string"],
// ["object",{...}], ...) into a tftypes.Type. It is tftypes.ParseJSONType
// without the second JSON parse, which made provider start-up slow.
func convertType(v any) (tftypes.Type, error) {
	switch t := v.(type) {
	case string:
		switch t {
		case "string":
			return tftypes.String, nil
		case "number":
			return tftypes.Number, nil
		case "bool":
			return tftypes.Bool, nil
		case "dynamic":
			return tftypes.DynamicPseudoType, nil
		}
	case []any:
		if len(t) < 2 {
			break
		}
		kind, _ := t[0].(string)
		switch kind {
		case "list", "set", "map":
			elem, err := convertType(t[1])
			if err != nil {
				return nil, err
			}
			switch kind {
			case "list":
				return tftypes.List{ElementType: elem}, nil
			case "set":
				return tftypes.Set{ElementType: elem}, nil
			}
			return tftypes.Map{ElementType: elem}, nil
		case "object":
			attrs, ok := t[1].(map[string]any)
			if !ok {
				break
			}
			obj := tftypes.Object{AttributeTypes: make(map[string]tftypes.Type, len(attrs))}
			for name, at := range attrs {
				ct, err := convertType(at)
				if err != nil {
					return nil, err
				}
				obj.AttributeTypes[name] = ct
			}
			if len(t) > 2 {
				return tftypes.ParseJSONType(mustJSON(v))
			}
			return obj, nil
		case "tuple":
			elems, ok := t[1].([]any)
			if !ok {
				break
			}
			tup := tftypes.Tuple{ElementTypes: make([]tftypes.Type, 0, len(elems))}
			for _, et := range elems {
				ct, err := convertType(et)
				if err != nil {
					return nil, err
				}
				tup.ElementTypes = append(tup.ElementTypes, ct)
			}
			return tup, nil
		}
	}
	return nil, fmt.Errorf("unsupported type %v", v)
}

// mustJSON re-encodes a decoded value; only object types with optional
// attributes (rare) take this path.
func mustJSON(v any) []byte {
	b, _ := json.Marshal(v)
	return b
}
