package main

import (
	"os"
	"path/filepath"
	"runtime/debug"
	"testing"
)

func TestContainerMemoryLimit(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	cases := map[string]struct {
		files []string
		want  int64
	}{
		"CgroupV2Limit":   {files: []string{write("v2", "268435456\n")}, want: 268435456},
		"CgroupV2NoLimit": {files: []string{write("v2max", "max\n")}},
		"CgroupV1NoLimit": {files: []string{filepath.Join(dir, "absent"), write("v1", "9223372036854771712\n")}},
		"CgroupV1Limit":   {files: []string{filepath.Join(dir, "absent"), write("v1limit", "134217728")}, want: 134217728},
		"NoCgroupFiles":   {files: []string{filepath.Join(dir, "absent")}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			if got := containerMemoryLimit(tc.files); got != tc.want {
				t.Errorf("want %d, got %d", tc.want, got)
			}
		})
	}
}

// A container limit of 256 MiB gives the Go runtime a soft limit of 90 %
// of it, unless GOMEMLIMIT is set.
func TestSetMemoryLimit(t *testing.T) {
	before := debug.SetMemoryLimit(-1)
	t.Cleanup(func() { debug.SetMemoryLimit(before) })
	p := filepath.Join(t.TempDir(), "memory.max")
	if err := os.WriteFile(p, []byte("268435456"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("GOMEMLIMIT", "")
	limit := int64(268435456)
	if got, want := setMemoryLimit([]string{p}), int64(float64(limit)*memoryLimitShare); got != want || debug.SetMemoryLimit(-1) != want {
		t.Errorf("soft limit: want %d, got %d (runtime %d)", want, got, debug.SetMemoryLimit(-1))
	}
	t.Setenv("GOMEMLIMIT", "200MiB")
	if got := setMemoryLimit([]string{p}); got != 0 {
		t.Errorf("with GOMEMLIMIT set: want no limit set, got %d", got)
	}
}
