package harness

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"time"
)

// A ProviderProcess is the provider binary running against the Env's
// control plane, as users run it out of cluster with KUBECONFIG.
type ProviderProcess struct {
	cmd     *exec.Cmd
	LogPath string
	// Exited receives the process's exit once it ends.
	Exited chan error
}

// StartProviderBinary runs the provider binary with a kubeconfig for the
// control plane, writing its log and kubeconfig into dir.
func (e *Env) StartProviderBinary(bin, dir string, args ...string) (*ProviderProcess, error) {
	kc, err := e.Kubeconfig()
	if err != nil {
		return nil, err
	}
	kubeconfig := filepath.Join(dir, "kubeconfig")
	if err := os.WriteFile(kubeconfig, kc, 0o600); err != nil {
		return nil, err
	}
	logPath := filepath.Join(dir, "provider.log")
	log, err := os.Create(logPath) //nolint:gosec // A file in the caller's folder.
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(bin, args...) //nolint:gosec // The provider binary the caller built.
	cmd.Env = append(os.Environ(), "KUBECONFIG="+kubeconfig, "POD_NAMESPACE="+ProviderNamespace)
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		_ = log.Close()
		return nil, fmt.Errorf("cannot start the provider: %w", err)
	}
	p := &ProviderProcess{cmd: cmd, LogPath: logPath, Exited: make(chan error, 1)}
	go func() { p.Exited <- cmd.Wait(); _ = log.Close() }()
	return p, nil
}

// Log returns what the provider logged so far.
func (p *ProviderProcess) Log() string {
	b, _ := os.ReadFile(p.LogPath)
	return string(b)
}

// Stop interrupts the provider and waits for it, killing it if it lingers.
func (p *ProviderProcess) Stop() {
	_ = p.cmd.Process.Signal(os.Interrupt)
	select {
	case <-p.Exited:
	case <-time.After(10 * time.Second):
		_ = p.cmd.Process.Kill()
		<-p.Exited
	}
}
