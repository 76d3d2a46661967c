// Package docker_test lints the Dockerfile, .dockerignore and compose file
// without a Docker engine: this project's CI machines have none.
package docker_test

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// instruction is one Dockerfile instruction with continuations joined.
type instruction struct {
	cmd  string // upper case: FROM, RUN, ...
	args string
}

// stage is one FROM ... up to the next FROM.
type stage struct {
	image, name string
	body        []instruction
}

func parseDockerfile(src string) []stage {
	var stages []stage
	var cur strings.Builder
	flush := func() {
		line := strings.TrimSpace(cur.String())
		cur.Reset()
		if line == "" {
			return
		}
		cmd, args, _ := strings.Cut(line, " ")
		in := instruction{cmd: strings.ToUpper(cmd), args: strings.TrimSpace(args)}
		if in.cmd == "FROM" {
			f := strings.Fields(in.args)
			st := stage{image: f[len(f)-1]}
			for i, w := range f {
				if strings.HasPrefix(w, "--") {
					continue
				}
				st.image = w
				if i+2 < len(f) && strings.EqualFold(f[i+1], "AS") {
					st.name = f[i+2]
				}
				break
			}
			stages = append(stages, st)
			return
		}
		if len(stages) > 0 {
			stages[len(stages)-1].body = append(stages[len(stages)-1].body, in)
		}
	}
	for _, raw := range strings.Split(src, "\n") {
		line := strings.TrimSpace(raw)
		if strings.HasPrefix(line, "#") && cur.Len() == 0 {
			continue
		}
		if strings.HasSuffix(line, "\\") {
			cur.WriteString(strings.TrimSuffix(line, "\\") + " ")
			continue
		}
		cur.WriteString(line)
		flush()
	}
	flush()
	return stages
}

func (s stage) find(cmd string) []instruction {
	var out []instruction
	for _, in := range s.body {
		if in.cmd == cmd {
			out = append(out, in)
		}
	}
	return out
}

// pinned: an exact version tag (digits, not latest) or a digest.
var pinned = regexp.MustCompile(`^[a-z0-9./-]+(:[A-Za-z0-9._-]*[0-9][A-Za-z0-9._-]*|:nonroot)?(@sha256:[a-f0-9]{64})?$`)

// lint returns the rule violations of a Dockerfile.
func lint(src string) []string {
	var bad []string
	stages := parseDockerfile(src)
	if len(stages) < 3 {
		return append(bad, "want a multi-stage build: web, Go build, runtime")
	}
	for _, st := range stages {
		img := st.image
		if !strings.Contains(img, "@sha256:") && !pinned.MatchString(img) || strings.HasSuffix(img, ":latest") || !strings.ContainsAny(img, ":@") {
			bad = append(bad, "base image not pinned: "+img)
		}
		if strings.Contains(img, "distroless") && !strings.Contains(img, "-debian") {
			bad = append(bad, "distroless image without a Debian release: "+img)
		}
	}
	var web, gobuild bool
	for _, st := range stages[:len(stages)-1] {
		cgoEnv := false
		for _, e := range st.find("ENV") {
			cgoEnv = cgoEnv || strings.Contains(e.args, "CGO_ENABLED=0")
		}
		for _, r := range st.find("RUN") {
			web = web || (strings.HasPrefix(st.image, "node:") && strings.Contains(r.args, "npm run build"))
			if strings.Contains(r.args, "go build") {
				gobuild = true
				if !strings.Contains(r.args, "CGO_ENABLED=0") && !cgoEnv {
					bad = append(bad, "go build without CGO_ENABLED=0")
				}
				if !strings.Contains(r.args, "-trimpath") {
					bad = append(bad, "go build without -trimpath")
				}
				if !strings.Contains(r.args, "./cmd/bankapp") {
					bad = append(bad, "go build does not build ./cmd/bankapp")
				}
			}
		}
	}
	if !web {
		bad = append(bad, "no node stage runs npm run build")
	}
	if !gobuild {
		bad = append(bad, "no stage runs go build")
	}
	final := stages[len(stages)-1]
	if !strings.HasPrefix(final.image, "gcr.io/distroless/static") && final.image != "scratch" {
		bad = append(bad, "runtime image is not distroless/static or scratch: "+final.image)
	}
	users := final.find("USER")
	if len(users) == 0 {
		bad = append(bad, "runtime stage has no USER")
	} else if u := strings.Fields(users[len(users)-1].args)[0]; u == "root" || u == "0" || strings.HasPrefix(u, "0:") || strings.HasPrefix(u, "root:") {
		bad = append(bad, "runtime stage runs as root")
	}
	expose := false
	for _, e := range final.find("EXPOSE") {
		expose = expose || strings.Fields(e.args)[0] == "3001" || strings.Fields(e.args)[0] == "3001/tcp"
	}
	if !expose {
		bad = append(bad, "runtime stage does not EXPOSE 3001")
	}
	hc := final.find("HEALTHCHECK")
	if len(hc) != 1 || !strings.Contains(hc[0].args, `CMD ["/bankapp", "healthcheck"]`) {
		bad = append(bad, `runtime stage needs HEALTHCHECK ... CMD ["/bankapp", "healthcheck"]`)
	}
	for _, in := range final.find("RUN") {
		bad = append(bad, "runtime stage has RUN (no shell in distroless): "+in.args)
	}
	return bad
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestDockerfile(t *testing.T) {
	for _, problem := range lint(readFile(t, "../../Dockerfile")) {
		t.Error(problem)
	}
}

// TestLintCatches proves each rule fires on a Dockerfile that breaks it.
func TestLintCatches(t *testing.T) {
	good := readFile(t, "../../Dockerfile")
	cases := map[string]struct{ from, to, want string }{
		"single stage":   {"FROM golang:1.26.10-bookworm AS build", "", "multi-stage"},
		"latest":         {"node:20.20.2-bookworm-slim", "node:latest", "not pinned"},
		"untagged":       {"golang:1.26.10-bookworm", "golang", "not pinned"},
		"cgo":            {"CGO_ENABLED=0 go build", "go build", "CGO_ENABLED=0"},
		"trimpath":       {"-trimpath ", "", "-trimpath"},
		"root":           {"USER 65532:65532", "USER root", "as root"},
		"no user":        {"USER 65532:65532", "", "no USER"},
		"port":           {"EXPOSE 3001", "EXPOSE 8080", "EXPOSE 3001"},
		"health":         {"HEALTHCHECK", "#HEALTHCHECK", "HEALTHCHECK"},
		"fat runtime":    {"gcr.io/distroless/static-debian12:nonroot", "debian:12.8", "distroless"},
		"no web build":   {"RUN npm run build", "", "npm run build"},
		"shell in final": {"EXPOSE 3001", "EXPOSE 3001\nRUN echo hi", "has RUN"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			src := good
			if name == "single stage" {
				src = good[strings.Index(good, c.from):]
				src = strings.Replace(src, "FROM gcr.io", "#", 1)
			} else {
				if name == "cgo" {
					src = strings.Replace(src, "ENV CGO_ENABLED=0 ", "ENV ", 1)
				}
				src = strings.Replace(src, c.from, c.to, 1)
			}
			problems := strings.Join(lint(src), "\n")
			if !strings.Contains(problems, c.want) {
				t.Errorf("lint did not report %q; got:\n%s", c.want, problems)
			}
		})
	}
}

func TestDockerignore(t *testing.T) {
	lines := map[string]bool{}
	for _, l := range strings.Split(readFile(t, "../../.dockerignore"), "\n") {
		lines[strings.TrimSpace(l)] = true
	}
	for _, must := range []string{".git", "**/node_modules", "data", ".env", "**/*.tfstate"} {
		if !lines[must] {
			t.Errorf(".dockerignore must exclude %s", must)
		}
	}
}

func TestCompose(t *testing.T) {
	src := readFile(t, "compose.yml")
	for _, must := range []string{
		"image: postgres:15", "pg_isready", "condition: service_healthy",
		"dockerfile: Dockerfile", `"127.0.0.1:3001:3001"`, `test: ["CMD", "/bankapp", "healthcheck"]`,
		"DATABASE_URL: postgres://", "stop_grace_period: 30s", "read_only: true",
	} {
		if !strings.Contains(src, must) {
			t.Errorf("compose.yml lacks %q", must)
		}
	}
}
