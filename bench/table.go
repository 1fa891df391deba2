package main

import (
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"text/tabwriter"
	"time"
)

var httpClient = &http.Client{Timeout: 5 * time.Second}

// median of one figure over the rounds.
func median[T int64 | float64 | time.Duration](rs []result, f func(result) T) T {
	vs := make([]T, len(rs))
	for i, r := range rs {
		vs[i] = f(r)
	}
	slices.Sort(vs)
	return vs[len(vs)/2]
}

func printTable(out io.Writer, all []*measured, conns []int) {
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', tabwriter.AlignRight)
	head := []string{"server"}
	for _, c := range conns {
		head = append(head, fmt.Sprintf("req/s @%d", c), fmt.Sprintf("p50 @%d", c), fmt.Sprintf("p99 @%d", c))
	}
	head = append(head, "errors", "not 204", "start-up", "idle RSS", "peak RSS")
	fmt.Fprintln(tw, strings.Join(head, "\t")+"\t")
	for _, m := range all {
		row := []string{m.name}
		var errs, wrong int64
		for _, c := range conns {
			rs := m.byConns[c]
			row = append(row,
				fmt.Sprintf("%.0f", median(rs, func(r result) float64 { return r.reqPerSec })),
				round(median(rs, func(r result) time.Duration { return r.p50 })),
				round(median(rs, func(r result) time.Duration { return r.p99 })))
			for _, r := range rs {
				errs += r.errors
				wrong += r.wrong
			}
		}
		row = append(row, fmt.Sprint(errs), fmt.Sprint(wrong), round(m.startup), mib(m.idle), mib(m.peak))
		fmt.Fprintln(tw, strings.Join(row, "\t")+"\t")
	}
	tw.Flush()
	printRatios(out, all, conns)
}

func printRatios(out io.Writer, all []*measured, conns []int) {
	rate := func(m *measured, c int) float64 {
		return median(m.byConns[c], func(r result) float64 { return r.reqPerSec })
	}
	mock := all[0]
	for _, other := range all[1:] {
		for _, c := range conns {
			fmt.Fprintf(out, "mock / %s @%d: %.2fx\n", other.name, c, rate(mock, c)/rate(other, c))
		}
	}
}

func round(d time.Duration) string {
	switch {
	case d >= time.Second:
		return d.Round(10 * time.Millisecond).String()
	case d >= time.Millisecond:
		return d.Round(10 * time.Microsecond).String()
	}
	return d.Round(time.Microsecond).String()
}

func mib(b int64) string { return fmt.Sprintf("%.1f MiB", float64(b)/(1<<20)) }
