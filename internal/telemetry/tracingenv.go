package telemetry

import (
	"errors"
	"fmt"
	"math"
	"net/url"
	"path"
	"strconv"
	"strings"

	"go.opentelemetry.io/otel/attribute"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
)

// EnvError names the OpenTelemetry variable that is wrong and why. It never
// holds the variable's value (headers carry API keys).
type EnvError struct {
	Var string
	Msg string
}

func (e *EnvError) Error() string { return fmt.Sprintf("telemetry: %s: %s", e.Var, e.Msg) }

// Protocols of the OTLP exporter (OTEL_EXPORTER_OTLP_PROTOCOL).
const (
	ProtocolHTTPProtobuf = "http/protobuf"
	ProtocolGRPC         = "grpc"
)

// tracingEnv is the tracing configuration read from the standard
// OpenTelemetry variables.
type tracingEnv struct {
	disabled    bool   // OTEL_SDK_DISABLED=true, OTEL_TRACES_EXPORTER=none, or no endpoint
	endpoint    string // full URL of the traces endpoint (HTTP) or of the collector (gRPC)
	protocol    string
	headers     map[string]string
	serviceName string
	resource    []attribute.KeyValue
	sampler     sdktrace.Sampler
	samplerName string // for the start-up log line
}

// ValidateTracingEnv checks the OpenTelemetry variables that StartTracing
// reads and returns one *EnvError per problem (nil when all is well), so
// that config can refuse to start with every problem listed at once.
func ValidateTracingEnv(getenv func(string) string) []error {
	_, errs := readTracingEnv(getenv)
	return errs
}

func readTracingEnv(getenv func(string) string) (tracingEnv, []error) {
	var errs []error
	bad := func(v, format string, a ...any) {
		errs = append(errs, &EnvError{Var: v, Msg: fmt.Sprintf(format, a...)})
	}
	get := func(name string) string { return strings.TrimSpace(getenv(name)) }
	var c tracingEnv

	// The spec says only "true" disables the SDK; a bank refuses to guess
	// what "yes" or "1" meant.
	switch strings.ToLower(get("OTEL_SDK_DISABLED")) {
	case "", "false":
	case "true":
		c.disabled = true
	default:
		bad("OTEL_SDK_DISABLED", "must be true or false")
	}
	switch strings.ToLower(get("OTEL_TRACES_EXPORTER")) {
	case "", "otlp":
	case "none":
		c.disabled = true
	default:
		bad("OTEL_TRACES_EXPORTER", "must be otlp or none (the only exporter built in)")
	}

	c.protocol = ProtocolHTTPProtobuf
	protoVar := "OTEL_EXPORTER_OTLP_PROTOCOL"
	p := get(protoVar)
	if v := get("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL"); v != "" {
		protoVar, p = "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", v
	}
	switch p {
	case "", ProtocolHTTPProtobuf:
	case ProtocolGRPC:
		c.protocol = ProtocolGRPC
	case "http/json":
		bad(protoVar, "http/json is not supported by the Go exporter; use http/protobuf or grpc")
	default:
		bad(protoVar, "must be http/protobuf or grpc")
	}

	// A per-signal endpoint is used as it is; the general one is a base URL
	// to which OTLP/HTTP appends /v1/traces (the gRPC exporter only takes
	// its host and port).
	if v := get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"); v != "" {
		if u, err := endpointURL(v); err != nil {
			bad("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "%v", err)
		} else {
			if u.Path == "" {
				u.Path = "/"
			}
			c.endpoint = u.String()
		}
	} else if v := get("OTEL_EXPORTER_OTLP_ENDPOINT"); v != "" {
		if u, err := endpointURL(v); err != nil {
			bad("OTEL_EXPORTER_OTLP_ENDPOINT", "%v", err)
		} else {
			if c.protocol == ProtocolHTTPProtobuf {
				u.Path = path.Join("/", u.Path, "v1/traces")
			}
			c.endpoint = u.String()
		}
	}
	if c.endpoint == "" {
		c.disabled = true
	}

	c.headers = map[string]string{}
	for _, name := range []string{"OTEL_EXPORTER_OTLP_HEADERS", "OTEL_EXPORTER_OTLP_TRACES_HEADERS"} {
		kv, err := parseKeyValues(get(name))
		if err != nil {
			bad(name, "%v", err)
		}
		for k, v := range kv {
			c.headers[k] = v
		}
	}

	c.serviceName = "bankapp"
	attrs, err := parseKeyValues(get("OTEL_RESOURCE_ATTRIBUTES"))
	if err != nil {
		bad("OTEL_RESOURCE_ATTRIBUTES", "%v", err)
	}
	for k, v := range attrs {
		if k == "service.name" {
			c.serviceName = v
			continue
		}
		c.resource = append(c.resource, attribute.String(k, v))
	}
	if v := get("OTEL_SERVICE_NAME"); v != "" {
		c.serviceName = v
	}

	c.samplerName = strings.ToLower(get("OTEL_TRACES_SAMPLER"))
	if c.samplerName == "" {
		c.samplerName = "parentbased_always_on"
	}
	ratio := func() float64 {
		v := get("OTEL_TRACES_SAMPLER_ARG")
		if v == "" {
			return 1
		}
		f, err := strconv.ParseFloat(v, 64)
		if err != nil || math.IsNaN(f) || f < 0 || f > 1 {
			bad("OTEL_TRACES_SAMPLER_ARG", "must be a ratio from 0 to 1 for %s", c.samplerName)
			return 1
		}
		return f
	}
	switch c.samplerName {
	case "always_on":
		c.sampler = sdktrace.AlwaysSample()
	case "always_off":
		c.sampler = sdktrace.NeverSample()
	case "traceidratio":
		c.sampler = sdktrace.TraceIDRatioBased(ratio())
	case "parentbased_always_on":
		c.sampler = sdktrace.ParentBased(sdktrace.AlwaysSample())
	case "parentbased_always_off":
		c.sampler = sdktrace.ParentBased(sdktrace.NeverSample())
	case "parentbased_traceidratio":
		c.sampler = sdktrace.ParentBased(sdktrace.TraceIDRatioBased(ratio()))
	default:
		bad("OTEL_TRACES_SAMPLER", "must be always_on, always_off, traceidratio, parentbased_always_on, parentbased_always_off or parentbased_traceidratio")
	}
	return c, errs
}

// endpointURL checks an OTLP endpoint. The error never repeats the value.
func endpointURL(v string) (*url.URL, error) {
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, errors.New("must be an http:// or https:// URL such as http://127.0.0.1:4318")
	}
	if u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return nil, errors.New("must not carry a query, a fragment or credentials (use OTEL_EXPORTER_OTLP_HEADERS)")
	}
	return u, nil
}

// parseKeyValues reads the key1=value1,key2=value2 lists of
// OTEL_RESOURCE_ATTRIBUTES and OTEL_EXPORTER_OTLP_HEADERS; values are
// percent-decoded as the specification says. Errors never repeat a value.
func parseKeyValues(s string) (map[string]string, error) {
	out := map[string]string{}
	if s == "" {
		return out, nil
	}
	for i, item := range strings.Split(s, ",") {
		k, v, ok := strings.Cut(item, "=")
		k = strings.TrimSpace(k)
		if !ok || k == "" {
			return nil, fmt.Errorf("item %d is not key=value (a comma-separated list of key=value)", i+1)
		}
		dv, err := url.PathUnescape(strings.TrimSpace(v))
		if err != nil {
			return nil, fmt.Errorf("the value of %q is not percent-encoded correctly", k)
		}
		out[k] = dv
	}
	return out, nil
}
