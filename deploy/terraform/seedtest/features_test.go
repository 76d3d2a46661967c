package seedtest

import (
	"os"
	"path"
	"regexp"
	"slices"
	"testing"
)

// flagRow is a row of the flag table in docs/features.md, whose rows the
// app's own test (internal/features TestFlagTable) ties to the flags the
// code reads.
var flagRow = regexp.MustCompile("(?m)^\\| `(FEATURE_[A-Z0-9_]+)` \\|")

// TestFeatureFlags: every environment writes to SSM exactly the flags the
// app reads — a FEATURE_* parameter that no code reads is a switch that
// flips nothing (issue 18), and a flag missing from an environment would
// silently take its default there.
func TestFeatureFlags(t *testing.T) {
	doc, err := os.ReadFile("../../../docs/features.md")
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, m := range flagRow.FindAllStringSubmatch(string(doc), -1) {
		want = append(want, m[1])
	}
	if len(want) == 0 {
		t.Fatal("docs/features.md lists no flag")
	}
	slices.Sort(want)
	for _, env := range seed.envs {
		t.Run(env.name, func(t *testing.T) {
			p := loadPlan(t, env.name)
			var got []string
			for _, prm := range p.resourcesOf("aws_ssm_parameter") {
				name, _ := prm["name"].(string)
				if path.Base(path.Dir(name)) == "features" {
					got = append(got, path.Base(name))
				}
			}
			slices.Sort(got)
			if !slices.Equal(got, want) {
				t.Errorf("feature flags in SSM %v, docs/features.md (the flags the app reads) %v", got, want)
			}
		})
	}
}
