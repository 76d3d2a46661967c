package telemetry

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracegrpc"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/trace"
	"go.opentelemetry.io/otel/trace/noop"
)

// TracerName is the instrumentation scope of BankApp's own spans.
const TracerName = "github.com/bankapp/bankapp"

// Option tunes StartTracing.
type Option func(*options)

type options struct {
	log *slog.Logger
}

// WithLogger sends the SDK's export errors (collector unreachable, payload
// refused) to log as warnings instead of the standard library's logger,
// and logs one line saying where traces go.
func WithLogger(log *slog.Logger) Option { return func(o *options) { o.log = log } }

// StartTracing configures tracing from the standard OpenTelemetry variables
// read through getenv, and nothing else:
//
//	OTEL_EXPORTER_OTLP_ENDPOINT, OTEL_EXPORTER_OTLP_TRACES_ENDPOINT
//	OTEL_EXPORTER_OTLP_PROTOCOL (http/protobuf, the default, or grpc)
//	OTEL_EXPORTER_OTLP_HEADERS, OTEL_EXPORTER_OTLP_TRACES_HEADERS
//	OTEL_SERVICE_NAME (default bankapp), OTEL_RESOURCE_ATTRIBUTES
//	OTEL_TRACES_SAMPLER, OTEL_TRACES_SAMPLER_ARG (default parentbased_always_on)
//	OTEL_SDK_DISABLED, OTEL_TRACES_EXPORTER (otlp or none)
//
// The exporter itself also honours its other OTEL_EXPORTER_OTLP_* variables
// (timeout, compression, certificates) from the process environment, and the
// batch processor its OTEL_BSP_* ones.
//
// With no endpoint, or with the SDK disabled, tp is the no-op provider:
// nothing is exported, no goroutine is started, and HTTPHandler and
// Transport hand back what they were given (see Enabled).
//
// Either way the W3C tracecontext and baggage propagators are installed as
// otel's global propagator (the value Propagator returns). The global
// tracer provider is left alone: pass tp to whatever makes spans; child
// spans (StartDBSpan, PGXTracer, StartBatch) find the provider through
// their parent span.
//
// shutdown flushes the spans not yet exported; call it on the way out with
// a deadline. Invalid variables fail with the errors of ValidateTracingEnv.
func StartTracing(ctx context.Context, getenv func(string) string, version string, opts ...Option) (tp trace.TracerProvider, shutdown func(context.Context) error, err error) {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	otel.SetTextMapPropagator(Propagator())
	env, errs := readTracingEnv(getenv)
	if len(errs) > 0 {
		return nil, nil, errors.Join(errs...)
	}
	noShutdown := func(context.Context) error { return nil }
	if env.disabled {
		return noop.NewTracerProvider(), noShutdown, nil
	}

	var exp sdktrace.SpanExporter
	switch env.protocol {
	case ProtocolGRPC:
		exp, err = otlptracegrpc.New(ctx, otlptracegrpc.WithEndpointURL(env.endpoint), otlptracegrpc.WithHeaders(env.headers))
	default:
		exp, err = otlptracehttp.New(ctx, otlptracehttp.WithEndpointURL(env.endpoint), otlptracehttp.WithHeaders(env.headers))
	}
	if err != nil {
		return nil, nil, fmt.Errorf("telemetry: OTLP exporter: %w", err)
	}
	attrs := append([]attribute.KeyValue{semconv.ServiceName(env.serviceName)}, env.resource...)
	if version != "" {
		attrs = append(attrs, semconv.ServiceVersion(version))
	}
	res, err := resource.New(ctx, resource.WithTelemetrySDK(), resource.WithAttributes(attrs...))
	if err != nil {
		return nil, nil, fmt.Errorf("telemetry: resource: %w", err)
	}
	if o.log != nil {
		log := o.log
		otel.SetErrorHandler(otel.ErrorHandlerFunc(func(err error) {
			log.Warn("opentelemetry", slog.Any("err", err))
		}))
		log.Info("tracing on", slog.String("protocol", env.protocol), slog.String("sampler", env.samplerName),
			slog.String("service", env.serviceName))
	}
	sdk := sdktrace.NewTracerProvider(
		sdktrace.WithBatcher(exp),
		sdktrace.WithResource(res),
		sdktrace.WithSampler(env.sampler),
	)
	return sdk, sdk.Shutdown, nil
}

// Propagator is W3C tracecontext (traceparent, tracestate) and baggage.
func Propagator() propagation.TextMapPropagator {
	return propagation.NewCompositeTextMapPropagator(propagation.TraceContext{}, propagation.Baggage{})
}

// Enabled reports whether tp records spans: false for the provider
// StartTracing returns when tracing is off, so callers can skip tracing
// middleware altogether.
func Enabled(tp trace.TracerProvider) bool {
	if tp == nil {
		return false
	}
	_, off := tp.(noop.TracerProvider)
	return !off
}
