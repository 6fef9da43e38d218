package bench

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/provider-rds/provider-rds/test/harness"
)

// profiler takes the provider's CPU and heap profiles in steady state when
// BENCH_PROFILE_DIR names a directory: cpu.pprof and heap.pprof, for
// `go tool pprof -top`.
type profiler struct {
	addr, dir string
	done      chan error
}

func newProfiler(b *testing.B) *profiler {
	dir := os.Getenv("BENCH_PROFILE_DIR")
	if dir == "" {
		return nil
	}
	if err := os.MkdirAll(dir, 0o750); err != nil { //nolint:gosec // The directory the person running the benchmark names.
		b.Fatal(err)
	}
	port, err := harness.FreePort()
	if err != nil {
		b.Fatal(err)
	}
	return &profiler{addr: fmt.Sprintf("127.0.0.1:%d", port), dir: dir}
}

// cpu starts a CPU profile of d in the background.
func (p *profiler) cpu(b *testing.B, d time.Duration) {
	if p == nil {
		return
	}
	p.done = make(chan error, 1)
	go func() {
		p.done <- p.save("cpu.pprof", fmt.Sprintf("/debug/pprof/profile?seconds=%d", int(d.Seconds())))
	}()
}

// heap takes a heap profile, after the CPU profile is in.
func (p *profiler) heap(b *testing.B) {
	b.Helper()
	if p == nil {
		return
	}
	if p.done != nil {
		if err := <-p.done; err != nil {
			b.Error(err)
		}
	}
	if err := p.save("heap.pprof", "/debug/pprof/heap"); err != nil {
		b.Error(err)
	}
	progress("profiles in %s", p.dir)
}

func (p *profiler) save(name, path string) error {
	rsp, err := http.Get("http://" + p.addr + path)
	if err != nil {
		return err
	}
	defer rsp.Body.Close() //nolint:errcheck // Read fully below.
	f, err := os.Create(filepath.Join(p.dir, name))
	if err != nil {
		return err
	}
	defer f.Close() //nolint:errcheck // Written fully below.
	_, err = io.Copy(f, rsp.Body)
	return err
}

// childNamed is the process ID of this process's child of a name: the
// control plane's kube-apiserver, which envtest starts.
func childNamed(b *testing.B, name string) int {
	b.Helper()
	entries, err := os.ReadDir("/proc")
	if err != nil {
		b.Fatal(err)
	}
	me := strconv.Itoa(os.Getpid())
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		stat, err := os.ReadFile(filepath.Join("/proc", e.Name(), "stat"))
		if err != nil {
			continue
		}
		// pid (comm) state ppid ...
		s := string(stat)
		comm := s[strings.IndexByte(s, '(')+1 : strings.LastIndexByte(s, ')')]
		fields := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
		if strings.HasPrefix(name, comm) && len(fields) > 1 && fields[1] == me {
			return pid
		}
	}
	b.Fatalf("no child process %s", name)
	return 0
}
