// Command kubectl-rds is the kubectl plugin of provider-rds: put it on
// PATH and run `kubectl rds plan -f FILE` or `kubectl rds import`.
package main

import (
	"context"
	"os"
	"os/signal"

	"github.com/provider-rds/provider-rds/internal/kubectlrds"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := kubectlrds.Main(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
