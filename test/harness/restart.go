package harness

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
)

// RestartAPIServer kills the control plane's kube-apiserver, as a crash or
// the loss of its node does, and starts it again with the same flags,
// certificates and etcd after the given downtime. It returns once the API
// server serves again. (envtest's own Stop and Start would make a new CA
// and forget its users: a new API server, not a restart.)
func (e *Env) RestartAPIServer(t testing.TB, downtime time.Duration) {
	t.Helper()
	port := e.controlPlane.ControlPlane.APIServer.Port
	pid, args, err := findProcess("kube-apiserver", "--secure-port="+port)
	if err != nil {
		t.Fatal(err)
	}
	if e.apiServer != nil && e.apiServer.PID() == pid {
		e.apiServer.Kill()
	} else {
		// envtest started it, and reaps it.
		if err := syscall.Kill(pid, syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		waitGone(t, pid)
	}
	time.Sleep(downtime)
	// The restarted API server outlives the test that restarted it: Env.Stop
	// stops it with the rest of the control plane.
	p, err := StartProcess(fmt.Sprintf("kube-apiserver-%d", time.Now().UnixNano()), os.TempDir(), nil, args[0], args[1:]...)
	if err != nil {
		t.Fatal(err)
	}
	e.apiServer = p
	Eventually(t, time.Minute, "the API server serves again", func() (bool, string) {
		if err := e.Kube.List(context.Background(), &corev1.NamespaceList{}); err != nil {
			return false, err.Error()
		}
		return true, ""
	})
}

// findProcess returns the process ID and command line of the process whose
// program is named name and whose arguments include arg.
func findProcess(name, arg string) (int, []string, error) {
	dirs, err := filepath.Glob("/proc/[0-9]*")
	if err != nil {
		return 0, nil, err
	}
	for _, dir := range dirs {
		raw, err := os.ReadFile(filepath.Join(dir, "cmdline"))
		if err != nil || len(raw) == 0 {
			continue
		}
		args := strings.Split(string(bytes.TrimRight(raw, "\x00")), "\x00")
		if filepath.Base(args[0]) != name {
			continue
		}
		for _, a := range args[1:] {
			if a == arg {
				pid, err := strconv.Atoi(filepath.Base(dir))
				return pid, args, err
			}
		}
	}
	return 0, nil, fmt.Errorf("no %s process with %s", name, arg)
}

func waitGone(t testing.TB, pid int) {
	t.Helper()
	Eventually(t, 30*time.Second, fmt.Sprintf("process %d gone", pid), func() (bool, string) {
		_, err := os.Stat(fmt.Sprintf("/proc/%d", pid))
		return os.IsNotExist(err), "running"
	})
}

// RestartBackend replaces the AWS emulator by a new one, which knows
// nothing of what the old one held, as an emulator restart does; the Env's
// clients and controls talk to the new one. It returns the new endpoint.
func (e *Env) RestartBackend(ctx context.Context, t testing.TB) string {
	t.Helper()
	if e.Backend.Kind != BackendStrict {
		t.Skipf("restarts the emulator the harness started; the backend is %s", e.Backend.Kind)
	}
	e.Backend.Stop()
	b, err := StartStrictAWS(ctx)
	if err != nil {
		t.Fatal(err)
	}
	e.Backend = b
	return b.Endpoint
}
