package harness

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"slices"
	"sync"
	"time"
)

// A FaultProxy stands between the provider and the AWS backend, on
// loopback, and injects the faults of the fault catalogue: AWS error
// answers (5xx bursts, throttling storms), responses held past the SDK's
// timeout, connections reset after the backend acted, and responses held
// until a test has killed the provider. It counts every request it sees by
// AWS action, so tests assert how often the provider tried, and how often
// a call reached AWS.
//
// Fault injection works here at the HTTP level, not the TCP level of
// proxies such as toxiproxy, because AWS's own faults are HTTP answers
// (a 503 ServiceUnavailable, a 400 Throttling) and because a reset is
// meaningful only after the backend acted on the request.
type FaultProxy struct {
	// URL is the proxy's address, for a ProviderConfig's endpoint.
	URL string

	srv *http.Server

	mu       sync.Mutex
	target   string
	faults   []*Fault
	requests []ProxiedRequest
}

// A Fault is what the proxy does to the requests it matches while it is
// injected. Exactly one of Status, Delay, Reset or Hold is set.
type Fault struct {
	// Actions the fault applies to; empty for every action.
	Actions []string

	// Status and Code: answer with this AWS error, without forwarding.
	Status int
	Code   string
	// Delay: forward, then hold the backend's answer this long (or until
	// the caller gives up).
	Delay time.Duration
	// Reset: forward, then reset the connection instead of answering.
	Reset bool
	// Hold: forward, then hold the answer until Release.
	Hold bool

	reached  chan struct{}
	released chan struct{}
	once     *sync.Once
}

// ProxiedRequest is one request the proxy saw.
type ProxiedRequest struct {
	At     time.Time
	Action string
	// ID is the DB instance identifier the request names, if any.
	ID string
	// Forwarded is whether the request reached the backend.
	Forwarded bool
}

// Reached is closed once the backend has answered the first request a Hold
// fault matched: the call took effect in AWS.
func (f *Fault) Reached() <-chan struct{} { return f.reached }

// Release lets the held answers go.
func (f *Fault) Release() { f.once.Do(func() { close(f.released) }) }

// Matches reports whether the fault applies to requests of an action.
func (f *Fault) Matches(action string) bool {
	return len(f.Actions) == 0 || slices.Contains(f.Actions, action)
}

// StartFaultProxy starts a proxy to the backend at target on a free
// loopback port.
func StartFaultProxy(target string) (*FaultProxy, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	p := &FaultProxy{URL: "http://" + ln.Addr().String(), target: target}
	p.srv = &http.Server{Handler: p, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = p.srv.Serve(ln) }()
	return p, nil
}

// Stop stops the proxy, releasing whatever it holds.
func (p *FaultProxy) Stop() {
	p.mu.Lock()
	for _, f := range p.faults {
		if f.Hold {
			f.Release()
		}
	}
	p.mu.Unlock()
	_ = p.srv.Close()
}

// SetTarget points the proxy at another backend, as when the emulator
// restarts on another port.
func (p *FaultProxy) SetTarget(target string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.target = target
}

// Inject starts a fault and returns it; Remove ends it.
func (p *FaultProxy) Inject(f Fault) *Fault {
	out := &f
	out.reached, out.released, out.once = make(chan struct{}), make(chan struct{}), &sync.Once{}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.faults = append(p.faults, out)
	return out
}

// Remove ends a fault. A held answer is released.
func (p *FaultProxy) Remove(f *Fault) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.faults = slices.DeleteFunc(p.faults, func(g *Fault) bool { return g == f })
	f.Release()
}

// Clear ends every fault, releasing what they hold.
func (p *FaultProxy) Clear() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, f := range p.faults {
		f.Release()
	}
	p.faults = nil
}

// Mark returns a position in the proxy's record, for Since.
func (p *FaultProxy) Mark() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.requests)
}

// Since returns the requests seen after mark.
func (p *FaultProxy) Since(mark int) []ProxiedRequest {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Clone(p.requests[mark:])
}

// Tally returns how many requests between two marks match.
func (p *FaultProxy) Tally(from, to int, match func(ProxiedRequest) bool) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	n := 0
	for _, r := range p.requests[from:to] {
		if match(r) {
			n++
		}
	}
	return n
}

// Count returns how many requests after mark named action (any action when
// empty) and DB instance id (any when empty), and how many of them reached
// the backend.
func (p *FaultProxy) Count(mark int, action, id string) (seen, forwarded int) {
	for _, r := range p.Since(mark) {
		if (action == "" || r.Action == action) && (id == "" || r.ID == id) {
			seen++
			if r.Forwarded {
				forwarded++
			}
		}
	}
	return seen, forwarded
}

// ServeHTTP implements http.Handler.
func (p *FaultProxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return
	}
	action, id := "", ""
	if form, err := url.ParseQuery(string(body)); err == nil {
		action, id = form.Get("Action"), form.Get("DBInstanceIdentifier")
	}
	p.mu.Lock()
	var fault *Fault
	for _, f := range p.faults {
		if f.Matches(action) {
			fault = f
			break
		}
	}
	target := p.target
	rec := len(p.requests)
	p.requests = append(p.requests, ProxiedRequest{At: time.Now(), Action: action, ID: id})
	p.mu.Unlock()

	if fault != nil && fault.Status != 0 {
		writeAWSError(w, fault.Status, fault.Code)
		return
	}
	p.mu.Lock()
	p.requests[rec].Forwarded = true
	p.mu.Unlock()
	rsp, err := forward(r, target, body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	switch {
	case fault == nil:
	case fault.Reset:
		resetConnection(w)
		return
	case fault.Delay > 0:
		select {
		case <-time.After(fault.Delay):
		case <-r.Context().Done():
			return
		}
	case fault.Hold:
		select {
		case <-fault.reached:
		default:
			close(fault.reached)
		}
		<-fault.released
	}
	for k, v := range rsp.header {
		w.Header()[k] = v
	}
	w.WriteHeader(rsp.status)
	_, _ = w.Write(rsp.body)
}

// answer is the backend's answer to a request.
type answer struct {
	status int
	header http.Header
	body   []byte
}

// forward sends the request to the backend and reads its whole answer.
func forward(r *http.Request, target string, body []byte) (answer, error) {
	// The backend acts on the request even if the caller has gone: as AWS
	// does once a request has arrived.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), time.Minute)
	defer cancel()
	// The proxy relays the provider's own requests to the emulator on
	// loopback, which the test chose.
	req, err := http.NewRequestWithContext(ctx, r.Method, target+r.URL.RequestURI(), bytes.NewReader(body)) //nolint:gosec // See above.
	if err != nil {
		return answer{}, err
	}
	req.Header = r.Header.Clone()
	rsp, err := http.DefaultClient.Do(req) //nolint:gosec // See above.
	if err != nil {
		return answer{}, err
	}
	defer func() { _ = rsp.Body.Close() }()
	b, err := io.ReadAll(rsp.Body)
	return answer{status: rsp.StatusCode, header: rsp.Header, body: b}, err
}

// writeAWSError answers as AWS's query protocol does.
func writeAWSError(w http.ResponseWriter, status int, code string) {
	typ := "Sender"
	if status >= 500 {
		typ = "Receiver"
	}
	w.Header().Set("Content-Type", "text/xml")
	w.WriteHeader(status)
	_, _ = fmt.Fprintf(w, `<ErrorResponse xmlns="http://rds.amazonaws.com/doc/2014-10-31/"><Error><Type>%s</Type><Code>%s</Code><Message>injected by the fault proxy</Message></Error><RequestId>fault-proxy</RequestId></ErrorResponse>`, typ, code)
}

// resetConnection closes the caller's connection with a TCP reset, as a
// network path that drops a connection mid-call does.
func resetConnection(w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		return
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		return
	}
	if tcp, ok := conn.(*net.TCPConn); ok {
		_ = tcp.SetLinger(0)
	}
	_ = conn.Close()
}
