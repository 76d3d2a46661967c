package main

import (
	"fmt"
	"io"
	"strings"
)

// writeSVG draws throughput (left axis, bars' line in blue) and p99 latency
// (right axis, orange) against concurrency, with pgbench TPS (grey dashed)
// when measured. Hand-written SVG: no plotting dependency.
func writeSVG(w io.Writer, title, unit string, steps []stepResult) error {
	const W, H, L, R, T, B = 720.0, 420.0, 70.0, 70.0, 50.0, 60.0
	pw, ph := W-L-R, H-T-B
	maxY, maxP := 1.0, 1.0
	for _, s := range steps {
		maxY = max(maxY, rate(s, unit), s.PgbenchTPS)
		maxP = max(maxP, s.P99)
	}
	maxY, maxP = nice(maxY), nice(maxP)
	x := func(i int) float64 {
		if len(steps) == 1 {
			return L + pw/2
		}
		return L + pw*float64(i)/float64(len(steps)-1)
	}
	yl := func(v float64) float64 { return T + ph - ph*v/maxY }
	yr := func(v float64) float64 { return T + ph - ph*v/maxP }
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%.0f" height="%.0f" viewBox="0 0 %.0f %.0f" font-family="sans-serif" font-size="12">`+"\n", W, H, W, H)
	fmt.Fprintf(&b, `<rect width="100%%" height="100%%" fill="white"/>`+"\n")
	fmt.Fprintf(&b, `<text x="%.0f" y="24" text-anchor="middle" font-size="15">%s</text>`+"\n", W/2, esc(title))
	for i := 0; i <= 5; i++ {
		v := maxY * float64(i) / 5
		y := yl(v)
		fmt.Fprintf(&b, `<line x1="%.1f" x2="%.1f" y1="%.1f" y2="%.1f" stroke="#ddd"/>`+"\n", L, L+pw, y, y)
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" text-anchor="end" fill="#1f5fbf">%.0f</text>`+"\n", L-6, y+4, v)
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" fill="#d9730d">%.0f</text>`+"\n", L+pw+6, yr(maxP*float64(i)/5)+4, maxP*float64(i)/5)
	}
	fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="none" stroke="#888"/>`+"\n", L, T, pw, ph)
	for i, s := range steps {
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" text-anchor="middle">%d</text>`+"\n", x(i), T+ph+18, s.Clients)
	}
	fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" text-anchor="middle">concurrent clients</text>`+"\n", L+pw/2, H-20)
	fmt.Fprintf(&b, `<text transform="translate(18 %.1f) rotate(-90)" text-anchor="middle" fill="#1f5fbf">%s per second</text>`+"\n", T+ph/2, esc(unit))
	fmt.Fprintf(&b, `<text transform="translate(%.1f %.1f) rotate(90)" text-anchor="middle" fill="#d9730d">p99 latency (ms)</text>`+"\n", W-16, T+ph/2)
	line := func(color, dash string, val func(stepResult) float64, y func(float64) float64) {
		var pts []string
		for i, s := range steps {
			pts = append(pts, fmt.Sprintf("%.1f,%.1f", x(i), y(val(s))))
		}
		fmt.Fprintf(&b, `<polyline points="%s" fill="none" stroke="%s" stroke-width="2.5" stroke-dasharray="%s"/>`+"\n", strings.Join(pts, " "), color, dash)
		for i, s := range steps {
			fmt.Fprintf(&b, `<circle cx="%.1f" cy="%.1f" r="3.5" fill="%s"/>`+"\n", x(i), y(val(s)), color)
		}
	}
	line("#1f5fbf", "none", func(s stepResult) float64 { return rate(s, unit) }, yl)
	line("#d9730d", "none", func(s stepResult) float64 { return s.P99 }, yr)
	legend := []string{"#1f5fbf|" + unit + "/s through the load balancer", "#d9730d|p99 latency (ms)"}
	if steps[0].PgbenchTPS > 0 {
		line("#777", "6 4", func(s stepResult) float64 { return s.PgbenchTPS }, yl)
		legend = append(legend, "#777|pgbench TPC-B tps, same PostgreSQL")
	}
	for i, l := range legend {
		c, text, _ := strings.Cut(l, "|")
		fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="14" height="4" fill="%s"/><text x="%.1f" y="%.1f">%s</text>`+"\n", L+10, T+12+float64(i)*16, c, L+30, T+17+float64(i)*16, esc(text))
	}
	b.WriteString("</svg>\n")
	_, err := io.WriteString(w, b.String())
	return err
}

func rate(s stepResult, unit string) float64 {
	if unit == "transfers" {
		return s.TransfersPerS
	}
	return s.OpsPerSec
}

// nice rounds v up to 1, 2 or 5 times a power of ten.
func nice(v float64) float64 {
	p := 1.0
	for p*10 <= v {
		p *= 10
	}
	for _, m := range []float64{1, 2, 5, 10} {
		if m*p >= v {
			return m * p
		}
	}
	return 10 * p
}

func esc(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}
