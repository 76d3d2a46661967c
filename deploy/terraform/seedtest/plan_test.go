package seedtest

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// plan is the part of `terraform show -json` output the tests read.
type plan struct {
	resources map[string]map[string]any // address -> planned values
	outputs   map[string]any            // root output -> value
	// outputAfter and outputUnknown: root output -> its known part and
	// its "known after apply" marks (output_changes), for outputs that are
	// only partly known at plan time.
	outputAfter, outputUnknown map[string]any
	config                     map[string]map[string]any // module path + "." + resource address -> expressions
}

type jsonPlan struct {
	PlannedValues struct {
		Outputs map[string]struct {
			Value any `json:"value"`
		} `json:"outputs"`
		RootModule jsonModule `json:"root_module"`
	} `json:"planned_values"`
	Configuration struct {
		RootModule jsonConfigModule `json:"root_module"`
	} `json:"configuration"`
	OutputChanges map[string]struct {
		After        any `json:"after"`
		AfterUnknown any `json:"after_unknown"`
	} `json:"output_changes"`
}

type jsonModule struct {
	Resources []struct {
		Address string         `json:"address"`
		Values  map[string]any `json:"values"`
	} `json:"resources"`
	ChildModules []jsonModule `json:"child_modules"`
}

type jsonConfigModule struct {
	Resources []struct {
		Address     string         `json:"address"`
		Expressions map[string]any `json:"expressions"`
	} `json:"resources"`
	ModuleCalls map[string]struct {
		Module jsonConfigModule `json:"module"`
	} `json:"module_calls"`
}

// loadPlan reads $BANKAPP_PLAN_DIR/<env>.json.
func loadPlan(t *testing.T, env string) *plan {
	t.Helper()
	dir := os.Getenv("BANKAPP_PLAN_DIR")
	if dir == "" {
		t.Skip("BANKAPP_PLAN_DIR is not set: run scripts/infra-test.sh, which plans the environments offline first")
	}
	buf, err := os.ReadFile(filepath.Join(dir, env+".json"))
	if err != nil {
		t.Fatalf("read plan of %s: %v", env, err)
	}
	var jp jsonPlan
	if err := json.Unmarshal(buf, &jp); err != nil {
		t.Fatalf("decode plan of %s: %v", env, err)
	}
	p := &plan{resources: map[string]map[string]any{}, config: map[string]map[string]any{}, outputs: map[string]any{},
		outputAfter: map[string]any{}, outputUnknown: map[string]any{}}
	for name, o := range jp.PlannedValues.Outputs {
		p.outputs[name] = o.Value
	}
	for name, o := range jp.OutputChanges {
		p.outputAfter[name], p.outputUnknown[name] = o.After, o.AfterUnknown
	}
	var walk func(m jsonModule)
	walk = func(m jsonModule) {
		for _, r := range m.Resources {
			p.resources[r.Address] = r.Values
		}
		for _, c := range m.ChildModules {
			walk(c)
		}
	}
	walk(jp.PlannedValues.RootModule)
	var walkConfig func(prefix string, m jsonConfigModule)
	walkConfig = func(prefix string, m jsonConfigModule) {
		for _, r := range m.Resources {
			p.config[prefix+r.Address] = r.Expressions
		}
		for name, c := range m.ModuleCalls {
			walkConfig(prefix+"module."+name+".", c.Module)
		}
	}
	walkConfig("", jp.Configuration.RootModule)
	return p
}

// res returns the planned values of a resource in the bankapp stack
// ("network.aws_vpc.this" -> module.bankapp.module.network.aws_vpc.this).
func (p *plan) res(t *testing.T, addr string) map[string]any {
	t.Helper()
	v, ok := p.resources[stackAddr(addr)]
	if !ok {
		t.Fatalf("plan has no %s", stackAddr(addr))
	}
	return v
}

// has reports whether the plan creates the resource.
func (p *plan) has(addr string) bool {
	_, ok := p.resources[stackAddr(addr)]
	return ok
}

// count returns how many instances of a resource the plan creates
// ("network.aws_nat_gateway.this" counts [0], [1], ...).
func (p *plan) count(addr string) int {
	n := 0
	full := stackAddr(addr)
	for a := range p.resources {
		if a == full || strings.HasPrefix(a, full+"[") {
			n++
		}
	}
	return n
}

// refs returns the references of one attribute of a resource in the
// configuration (unknown ids such as security-group ids are checked there).
func (p *plan) refs(t *testing.T, addr, attr string) []string {
	t.Helper()
	mod, res := splitAddr(addr)
	res, _, _ = strings.Cut(res, "[") // the configuration has no instance keys
	exprs, ok := p.config["module.bankapp.module."+mod+"."+res]
	if !ok {
		t.Fatalf("configuration has no %s", addr)
	}
	e, _ := exprs[attr].(map[string]any)
	var out []string
	if list, ok := e["references"].([]any); ok {
		for _, r := range list {
			out = append(out, r.(string))
		}
	}
	return out
}

func stackAddr(addr string) string {
	mod, res := splitAddr(addr)
	return "module.bankapp.module." + mod + "." + res
}

func splitAddr(addr string) (string, string) {
	mod, res, _ := strings.Cut(addr, ".")
	return mod, res
}

// block returns the first element of a nested block.
func block(t *testing.T, v map[string]any, name string) map[string]any {
	t.Helper()
	list, ok := v[name].([]any)
	if !ok || len(list) == 0 {
		t.Fatalf("no %s block in %v", name, keys(v))
	}
	return list[0].(map[string]any)
}

// blocks returns every element of a nested block.
func blocks(v map[string]any, name string) []map[string]any {
	list, _ := v[name].([]any)
	out := make([]map[string]any, 0, len(list))
	for _, e := range list {
		out = append(out, e.(map[string]any))
	}
	return out
}

func keys(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

// eq fails the test when got (a JSON value) differs from want.
func eq(t *testing.T, what string, got, want any) {
	t.Helper()
	switch w := want.(type) {
	case int:
		want = float64(w)
	case []string:
		l := make([]any, len(w))
		for i, s := range w {
			l[i] = s
		}
		want = l
	}
	gb, _ := json.Marshal(got)
	wb, _ := json.Marshal(want)
	if string(gb) != string(wb) {
		t.Errorf("%s = %s, seed says %s", what, gb, wb)
	}
}

// outputKeys returns the keys of a root output that is an object, known
// or known only after apply.
func (p *plan) outputKeys(name string) []string {
	var out []string
	for _, m := range []any{p.outputAfter[name], p.outputUnknown[name]} {
		if mm, ok := m.(map[string]any); ok {
			for k := range mm {
				if !slices.Contains(out, k) {
					out = append(out, k)
				}
			}
		}
	}
	slices.Sort(out)
	return out
}

// resourcesOf returns the planned values of every resource of a type in
// the stack, by address.
func (p *plan) resourcesOf(typ string) map[string]map[string]any {
	out := map[string]map[string]any{}
	for addr, v := range p.resources {
		parts := strings.Split(addr, ".")
		for i := 0; i+1 < len(parts); i++ {
			if parts[i] == typ && (i == 0 || parts[i-1] != "module") {
				out[addr] = v
				break
			}
		}
	}
	return out
}
