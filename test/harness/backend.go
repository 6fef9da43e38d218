package harness

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/testcontainers/testcontainers-go"
	"github.com/testcontainers/testcontainers-go/modules/localstack"
)

// Environment variables that choose the AWS backend of the tests.
const (
	// EnvEndpoint names an AWS endpoint the user already runs (LocalStack,
	// moto, or real AWS). Credentials then come from AWS_ACCESS_KEY_ID and
	// AWS_SECRET_ACCESS_KEY.
	EnvEndpoint = "PROVIDER_RDS_TEST_ENDPOINT"
	// EnvLocalStackToken enables LocalStack (its RDS needs a paid token).
	EnvLocalStackToken = "LOCALSTACK_AUTH_TOKEN"
	// EnvLocalStackImage overrides the LocalStack image.
	EnvLocalStackImage = "LOCALSTACK_IMAGE"
	// EnvMotoServer is the moto_server executable that `make moto` builds.
	EnvMotoServer = "MOTO_SERVER"
)

// Backend kinds.
const (
	BackendExternal   = "external"
	BackendLocalStack = "localstack"
	// BackendStrict is moto's server with the stricter test bed of
	// test/strictaws loaded into it: RDS as AWS documents it.
	BackendStrict = "moto+strictaws"
)

// A Backend is an AWS API endpoint the tests run against.
type Backend struct {
	Kind            string
	Endpoint        string
	AccessKeyID     string
	SecretAccessKey string

	log  *lockedBuffer
	stop func()
}

// Log returns what the backend printed, to show when a test fails, without
// the access log's lines for answered requests: thousands of them would
// bury the tracebacks and the test output above them.
func (b *Backend) Log() string {
	if b.log == nil {
		return ""
	}
	var out strings.Builder
	for _, line := range strings.SplitAfter(b.log.String(), "\n") {
		if !answeredRequest.MatchString(line) {
			out.WriteString(line)
		}
	}
	return out.String()
}

// answeredRequest is an access-log line of a request answered 2xx or 3xx.
var answeredRequest = regexp.MustCompile(`" [23]\d\d -\s*$`)

// Stop stops a backend the harness started.
func (b *Backend) Stop() {
	if b.stop != nil {
		b.stop()
	}
}

// Reset empties the emulator between benchmark runs: moto keeps automated
// snapshots of deleted instances and refuses creation past its quota.
func (b *Backend) Reset(ctx context.Context) error {
	if b.Kind != BackendStrict {
		return nil
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, b.Endpoint+"/moto-api/reset", nil)
	if err != nil {
		return err
	}
	rsp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	_ = rsp.Body.Close()
	if rsp.StatusCode != http.StatusOK {
		return fmt.Errorf("moto reset answered %s", rsp.Status)
	}
	return nil
}

// StartBackend chooses and starts the AWS backend, in this order: an
// explicit endpoint, LocalStack when a Docker engine and a LocalStack token
// are both present, otherwise a moto server on a free loopback port.
func StartBackend(ctx context.Context) (*Backend, error) {
	if ep := os.Getenv(EnvEndpoint); ep != "" {
		return &Backend{Kind: BackendExternal, Endpoint: ep, AccessKeyID: envOr("AWS_ACCESS_KEY_ID", "test"), SecretAccessKey: envOr("AWS_SECRET_ACCESS_KEY", "test")}, nil
	}
	if reason := LocalStackUnavailable(ctx); reason == "" {
		return StartLocalStack(ctx)
	}
	return StartStrictAWS(ctx)
}

// LocalStackUnavailable says why LocalStack cannot run here, or "" if it can.
func LocalStackUnavailable(ctx context.Context) string {
	if os.Getenv(EnvLocalStackToken) == "" {
		return EnvLocalStackToken + " is not set (LocalStack's RDS needs a paid auth token)"
	}
	p, err := testcontainers.NewDockerProvider()
	if err != nil {
		return "no Docker engine is reachable: " + err.Error()
	}
	defer p.Close() //nolint:errcheck // Nothing to do about it.
	hctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if err := p.Health(hctx); err != nil {
		return "no Docker engine is reachable: " + err.Error()
	}
	return ""
}

// StartLocalStack starts LocalStack through testcontainers-go.
func StartLocalStack(ctx context.Context) (*Backend, error) {
	image := envOr(EnvLocalStackImage, "localstack/localstack-pro:4")
	c, err := localstack.Run(ctx, image, testcontainers.WithEnv(map[string]string{EnvLocalStackToken: os.Getenv(EnvLocalStackToken), "SERVICES": "rds,sts"}))
	if err != nil {
		return nil, fmt.Errorf("cannot start LocalStack: %w", err)
	}
	host, err := c.Host(ctx)
	if err != nil {
		return nil, err
	}
	port, err := c.MappedPort(ctx, "4566/tcp")
	if err != nil {
		return nil, err
	}
	return &Backend{
		Kind: BackendLocalStack, Endpoint: fmt.Sprintf("http://%s:%s", host, port.Port()), AccessKeyID: "test", SecretAccessKey: "test",
		stop: func() { _ = testcontainers.TerminateContainer(c) },
	}, nil
}

// StartStrictAWS starts moto's server with the stricter test bed loaded
// (test/strictaws/server.py, run by the Python of moto's virtualenv) on a
// free 127.0.0.1 port, and waits until it answers.
func StartStrictAWS(ctx context.Context) (*Backend, error) {
	bin := os.Getenv(EnvMotoServer)
	if bin == "" {
		return nil, fmt.Errorf("%s is not set: run the tests with `make test`, which builds the moto server, or set %s", EnvMotoServer, EnvEndpoint)
	}
	root, err := repoRoot()
	if err != nil {
		return nil, err
	}
	port, err := FreePort()
	if err != nil {
		return nil, err
	}
	log := &lockedBuffer{}
	python := filepath.Join(filepath.Dir(bin), "python")
	cmd := exec.Command(python, filepath.Join(root, "test", "strictaws", "server.py"), "-H", "127.0.0.1", "-p", strconv.Itoa(port)) //nolint:gosec // The test runner names the virtualenv.
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("cannot start %s: %w", bin, err)
	}
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	b := &Backend{
		Kind: BackendStrict, Endpoint: fmt.Sprintf("http://127.0.0.1:%d", port), AccessKeyID: "test", SecretAccessKey: "test", log: log,
		stop: func() {
			_ = cmd.Process.Signal(os.Interrupt)
			select {
			case <-done:
			case <-time.After(5 * time.Second):
				_ = cmd.Process.Kill()
				<-done
			}
		},
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		rsp, err := http.Get(b.Endpoint + "/moto-api/")
		if err == nil {
			_ = rsp.Body.Close()
			return b, nil
		}
		select {
		case <-done:
			return nil, fmt.Errorf("moto server exited before answering:\n%s", log.String())
		case <-ctx.Done():
			b.Stop()
			return nil, ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			b.Stop()
			return nil, fmt.Errorf("moto server did not answer within 30s:\n%s", log.String())
		}
	}
}

// FreePort returns a TCP port on 127.0.0.1 that nothing listens on.
func FreePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close() //nolint:errcheck // Only the port number is wanted.
	return l.Addr().(*net.TCPAddr).Port, nil
}

func envOr(key, fallback string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return fallback
}

// lockedBuffer collects a process's output safely across goroutines.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}
