// Package demo tests the README's main command.
package demo

import (
	"bufio"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// `DEMO_ONCE=1 make demo` builds the provider, runs it against a local
// control plane and emulator, brings the example Instance to Ready, prints
// the summary without the password, and exits 0.
func TestMakeDemoOnce(t *testing.T) {
	if testing.Short() {
		t.Skip("the demo starts its own control plane; skipped with -short")
	}
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("make", "--no-print-directory", "demo")
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "DEMO_ONCE=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("make demo: %v\n%s", err, out)
	}
	for _, want := range []string{
		"production-db  Ready=True (Available)  Synced=True",
		"production-db is ready.",
		"identifier:  production-db",
		"endpoint:    production-db.",
		`password:    in Secret crossplane-system/production-db-master-password, key "password" (not shown)`,
		"orders-db  Ready=True (Available)  Synced=True",
		"team-orders/orders-db is ready.",
		`password:    in Secret team-orders/orders-db-master-password, key "password" (not shown)`,
		"connection details: Secret team-orders/orders-db-connection",
	} {
		if !strings.Contains(string(out), want) {
			t.Errorf("make demo output lacks %q:\n%s", want, out)
		}
	}
}

// `make demo | tee demo.log` then Ctrl-C: the reader of the demo's output
// is gone when it cleans up, and it must still stop the control plane and
// the emulator it started.
func TestDemoStopsEverythingWithItsOutputClosed(t *testing.T) {
	if testing.Short() {
		t.Skip("the demo starts its own control plane; skipped with -short")
	}
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	bin := t.TempDir()
	for name, pkg := range map[string]string{"provider": "./cmd/provider", "demo": "./cluster/local/demo"} {
		build := exec.Command("go", "build", "-o", filepath.Join(bin, name), pkg)
		build.Dir = root
		if out, err := build.CombinedOutput(); err != nil {
			t.Fatalf("go build %s: %v\n%s", pkg, err, out)
		}
	}
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	demo := exec.Command(filepath.Join(bin, "demo"))
	demo.Dir = root
	demo.Env = append(os.Environ(), "PROVIDER_BIN="+filepath.Join(bin, "provider"))
	demo.Stdout, demo.Stderr = w, w
	if err := demo.Start(); err != nil {
		t.Fatal(err)
	}
	_ = w.Close()
	exited := make(chan error, 1)
	go func() { exited <- demo.Wait() }()

	// Read until the demo says how to reach what it runs.
	var kubeconfig, endpoint string
	sc := bufio.NewScanner(r)
	for sc.Scan() && (kubeconfig == "" || endpoint == "") {
		line := sc.Text()
		if _, after, ok := strings.Cut(line, "KUBECONFIG="); ok {
			kubeconfig = strings.Fields(after)[0]
		}
		if _, after, ok := strings.Cut(line, "--endpoint-url "); ok {
			endpoint = strings.Fields(after)[0]
		}
	}
	if kubeconfig == "" || endpoint == "" {
		_ = demo.Process.Kill()
		t.Fatalf("the demo did not print its KUBECONFIG and emulator endpoint (%v)", sc.Err())
	}
	raw, err := os.ReadFile(kubeconfig)
	if err != nil {
		t.Fatal(err)
	}
	server := ""
	for _, line := range strings.Split(string(raw), "\n") {
		if _, after, ok := strings.Cut(line, "server: "); ok {
			server = strings.TrimSpace(after)
		}
	}
	addrs := map[string]string{"kube-apiserver": strings.TrimPrefix(server, "https://"), "AWS emulator": strings.TrimPrefix(endpoint, "http://")}
	for what, addr := range addrs {
		if c, err := net.DialTimeout("tcp", addr, time.Second); err != nil {
			t.Fatalf("%s at %s does not answer while the demo runs: %v", what, addr, err)
		} else {
			_ = c.Close()
		}
	}

	// The reader goes away (tee ends with Ctrl-C), then the demo is
	// interrupted.
	_ = r.Close()
	if err := demo.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-exited:
		t.Logf("the demo exited after Ctrl-C: %v", err)
	case <-time.After(time.Minute):
		_ = demo.Process.Kill()
		t.Fatal("the demo did not stop within a minute of Ctrl-C")
	}
	for what, addr := range addrs {
		if c, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
			_ = c.Close()
			t.Errorf("%s at %s still answers after the demo stopped: it was left running", what, addr)
		}
	}
}
