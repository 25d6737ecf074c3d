// Package metrics is a small registry of counters, gauges and histograms
// written in the Prometheus text exposition format (version 0.0.4), enough
// for goalbot's /metrics without a client library.
package metrics

import (
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// Registry holds metrics in the order they were made. It is safe for
// concurrent use.
type Registry struct {
	mu      sync.Mutex
	metrics []metric
}

type metric interface {
	write(w io.Writer) error
}

// Counter is a counter with labels: one series per combination of label
// values.
type Counter struct {
	name, help string
	labels     []string
	mu         sync.Mutex
	values     map[string]float64 // by the rendered label set
}

// Counter registers a counter with the given label names.
func (r *Registry) Counter(name, help string, labels ...string) *Counter {
	c := &Counter{name: name, help: help, labels: labels, values: map[string]float64{}}
	r.add(c)
	return c
}

func (r *Registry) add(m metric) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.metrics = append(r.metrics, m)
}

// Inc adds 1 to the series of the label values (one per label name).
func (c *Counter) Inc(values ...string) { c.Add(1, values...) }

// Add adds v (>= 0) to the series of the label values.
func (c *Counter) Add(v float64, values ...string) {
	key := labelSet(c.labels, values)
	c.mu.Lock()
	c.values[key] += v
	c.mu.Unlock()
}

// Value returns the series of the label values (for tests).
func (c *Counter) Value(values ...string) float64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.values[labelSet(c.labels, values)]
}

func (c *Counter) write(w io.Writer) error {
	c.mu.Lock()
	keys := make([]string, 0, len(c.values))
	for k := range c.values {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	header(&b, c.name, c.help, "counter")
	if len(c.labels) == 0 && len(keys) == 0 {
		fmt.Fprintf(&b, "%s 0\n", c.name)
	}
	for _, k := range keys {
		fmt.Fprintf(&b, "%s%s %s\n", c.name, k, number(c.values[k]))
	}
	c.mu.Unlock()
	_, err := io.WriteString(w, b.String())
	return err
}

// gauge is a value read when written.
type gauge struct {
	name, help string
	read       func() float64
}

// Gauge registers a gauge whose value read returns at each scrape.
func (r *Registry) Gauge(name, help string, read func() float64) {
	r.add(&gauge{name, help, read})
}

func (g *gauge) write(w io.Writer) error {
	var b strings.Builder
	header(&b, g.name, g.help, "gauge")
	fmt.Fprintf(&b, "%s %s\n", g.name, number(g.read()))
	_, err := io.WriteString(w, b.String())
	return err
}

// Histogram counts observations in cumulative buckets.
type Histogram struct {
	name, help string
	bounds     []float64
	mu         sync.Mutex
	counts     []uint64 // per bucket, not cumulative; the last is +Inf
	sum        float64
	count      uint64
}

// Histogram registers a histogram with the given upper bounds, ascending.
func (r *Registry) Histogram(name, help string, bounds ...float64) *Histogram {
	h := &Histogram{name: name, help: help, bounds: bounds, counts: make([]uint64, len(bounds)+1)}
	r.add(h)
	return h
}

// Observe records v.
func (h *Histogram) Observe(v float64) {
	i := sort.SearchFloat64s(h.bounds, v) // the first bound >= v
	h.mu.Lock()
	h.counts[i]++
	h.sum += v
	h.count++
	h.mu.Unlock()
}

// Count returns how many values were observed (for tests).
func (h *Histogram) Count() uint64 {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.count
}

func (h *Histogram) write(w io.Writer) error {
	var b strings.Builder
	header(&b, h.name, h.help, "histogram")
	h.mu.Lock()
	var cum uint64
	for i, bound := range h.bounds {
		cum += h.counts[i]
		fmt.Fprintf(&b, "%s_bucket{le=%q} %d\n", h.name, number(bound), cum)
	}
	fmt.Fprintf(&b, "%s_bucket{le=\"+Inf\"} %d\n", h.name, h.count)
	fmt.Fprintf(&b, "%s_sum %s\n%s_count %d\n", h.name, number(h.sum), h.name, h.count)
	h.mu.Unlock()
	_, err := io.WriteString(w, b.String())
	return err
}

// Write writes every metric in the text exposition format.
func (r *Registry) Write(w io.Writer) error {
	r.mu.Lock()
	ms := append([]metric(nil), r.metrics...)
	r.mu.Unlock()
	for _, m := range ms {
		if err := m.write(w); err != nil {
			return err
		}
	}
	return nil
}

// ContentType is the media type of Write's output.
const ContentType = "text/plain; version=0.0.4; charset=utf-8"

func header(b *strings.Builder, name, help, typ string) {
	fmt.Fprintf(b, "# HELP %s %s\n# TYPE %s %s\n", name, strings.NewReplacer(`\`, `\\`, "\n", `\n`).Replace(help), name, typ)
}

// labelSet renders {a="x",b="y"}; missing values are empty.
func labelSet(names, values []string) string {
	if len(names) == 0 {
		return ""
	}
	esc := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`)
	parts := make([]string, len(names))
	for i, n := range names {
		v := ""
		if i < len(values) {
			v = values[i]
		}
		parts[i] = n + `="` + esc.Replace(v) + `"`
	}
	return "{" + strings.Join(parts, ",") + "}"
}

func number(v float64) string {
	switch {
	case math.IsInf(v, 1):
		return "+Inf"
	case math.IsInf(v, -1):
		return "-Inf"
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}
