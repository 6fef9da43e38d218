package harness

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"
)

// A Process is a program the harness started beside the control plane: the
// provider binary, Crossplane, a composition function.
type Process struct {
	cmd     *exec.Cmd
	args    []string
	LogPath string
	// Exited receives the process's exit once it ends.
	Exited chan error
}

// StartProcess runs bin with args and extra environment variables, logging
// to <dir>/<name>.log.
func StartProcess(name, dir string, env []string, bin string, args ...string) (*Process, error) {
	logPath := filepath.Join(dir, name+".log")
	log, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), env...)
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		_ = log.Close()
		return nil, fmt.Errorf("cannot start %s: %w", name, err)
	}
	p := &Process{cmd: cmd, args: args, LogPath: logPath, Exited: make(chan error, 1)}
	go func() { p.Exited <- cmd.Wait(); _ = log.Close() }()
	return p, nil
}

// BuildProvider builds the provider binary as `make build` does, into a
// temporary folder of the test, and returns its path.
func (e *Env) BuildProvider(tb testing.TB) string {
	tb.Helper()
	bin, err := e.BuildProviderIn(tb.TempDir())
	if err != nil {
		tb.Fatal(err)
	}
	return bin
}

// BuildProviderIn builds the provider binary as `make build` does into dir
// and returns its path.
func (e *Env) BuildProviderIn(dir string) (string, error) {
	bin := filepath.Join(dir, "provider")
	build := exec.Command("go", "build", "-trimpath", "-ldflags", "-s -w", "-o", bin, "./cmd/provider")
	build.Dir = e.Root
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build: %w\n%s", err, out)
	}
	return bin, nil
}

// StartProviderBinary runs the provider binary with a kubeconfig for the
// control plane and its conversion webhook where the control plane expects
// it, writing its log and kubeconfig into dir, and waits until the webhook
// answers.
func (e *Env) StartProviderBinary(bin, dir string, args ...string) (*Process, error) {
	return e.startProviderBinary(bin, dir, e.controlPlane.WebhookInstallOptions.LocalServingPort, args...)
}

// StartProviderReplica runs one more replica of the provider binary, as a
// Deployment with several replicas does. Its conversion webhook listens on
// a port of its own: the control plane keeps calling the first replica's.
func (e *Env) StartProviderReplica(bin, dir string, args ...string) (*Process, error) {
	port, err := FreePort()
	if err != nil {
		return nil, err
	}
	return e.startProviderBinary(bin, dir, port, args...)
}

func (e *Env) startProviderBinary(bin, dir string, webhookPort int, args ...string) (*Process, error) {
	kubeconfig, err := e.WriteKubeconfig(dir)
	if err != nil {
		return nil, err
	}
	wio := e.controlPlane.WebhookInstallOptions
	webhook := []string{"--webhook-host=" + wio.LocalServingHost, fmt.Sprintf("--webhook-port=%d", webhookPort), "--certs-dir=" + wio.LocalServingCertDir}
	p, err := StartProcess("provider", dir, []string{"KUBECONFIG=" + kubeconfig, "POD_NAMESPACE=" + ProviderNamespace}, bin, append(args, webhook...)...)
	if err != nil {
		return nil, err
	}
	if err := waitForTLS(net.JoinHostPort(wio.LocalServingHost, strconv.Itoa(webhookPort)), time.Minute); err != nil {
		p.Stop()
		return nil, fmt.Errorf("%w\n%s", err, p.Log())
	}
	return p, nil
}

// WebhookAddr is where StartProviderBinary's process serves its conversion
// webhook.
func (e *Env) WebhookAddr() string {
	wio := e.controlPlane.WebhookInstallOptions
	return net.JoinHostPort(wio.LocalServingHost, strconv.Itoa(wio.LocalServingPort))
}

// WriteKubeconfig writes an administrator's kubeconfig into dir and
// returns its path.
func (e *Env) WriteKubeconfig(dir string) (string, error) {
	kc, err := e.Kubeconfig()
	if err != nil {
		return "", err
	}
	path := filepath.Join(dir, "kubeconfig")
	return path, os.WriteFile(path, kc, 0o600)
}

// Args are the arguments the process was started with.
func (p *Process) Args() []string { return p.args }

// PID is the process's ID, for reading its use of memory and CPU in /proc.
func (p *Process) PID() int { return p.cmd.Process.Pid }

// Log returns what the process logged so far.
func (p *Process) Log() string {
	b, _ := os.ReadFile(p.LogPath)
	return string(b)
}

// Stop interrupts the process and waits for it, killing it if it lingers.
// Stopping a process that has ended does nothing, so a test may stop it
// and leave its cleanup to stop it again.
func (p *Process) Stop() {
	_ = p.cmd.Process.Signal(os.Interrupt)
	// Its exit status says only that it was stopped; it is put back for
	// Running and later calls.
	var err error
	select {
	case err = <-p.Exited:
	case <-time.After(10 * time.Second):
		_ = p.cmd.Process.Kill()
		err = <-p.Exited
	}
	p.Exited <- err
}

// Kill kills the process at once (SIGKILL), as the OOM killer or a node
// failure does: nothing of its shutdown runs.
func (p *Process) Kill() {
	_ = p.cmd.Process.Kill()
	err := <-p.Exited
	_ = err // Its exit status says only that it was killed.
	p.Exited <- err
}

// Running reports whether the process has not exited.
func (p *Process) Running() bool {
	select {
	case err := <-p.Exited:
		p.Exited <- err
		return false
	default:
		return true
	}
}
