package main

import (
	"os"
	"runtime/debug"
	"strconv"
	"strings"
)

// cgroupMemoryLimits are where a container's memory limit is read: cgroup
// v2, then v1.
var cgroupMemoryLimits = []string{"/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"}

// memoryLimitShare is the part of the container's memory limit the Go
// runtime aims to stay under: the rest is the binary's pages and what the
// runtime cannot return at once.
const memoryLimitShare = 0.9

// setMemoryLimit gives the Go runtime a soft memory limit derived from the
// container's, as users set it in a DeploymentRuntimeConfig, unless
// GOMEMLIMIT says otherwise: without one, the heap after a burst of work
// (a thousand Instances created at once) may grow to twice the live heap
// and push the container into its OOM kill. It returns the limit set, or 0.
func setMemoryLimit(files []string) int64 {
	if os.Getenv("GOMEMLIMIT") != "" {
		return 0
	}
	limit := containerMemoryLimit(files)
	if limit <= 0 {
		return 0
	}
	soft := int64(float64(limit) * memoryLimitShare)
	debug.SetMemoryLimit(soft)
	return soft
}

// containerMemoryLimit is the first limit the files give, in bytes, or 0
// when there is none ("max", an unreadable file, or cgroup v1's "no
// limit", a number near the largest int64).
func containerMemoryLimit(files []string) int64 {
	for _, f := range files {
		raw, err := os.ReadFile(f) //nolint:gosec // Fixed cgroup paths.
		if err != nil {
			continue
		}
		v := strings.TrimSpace(string(raw))
		if v == "max" {
			return 0
		}
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n <= 0 || n >= 1<<62 {
			return 0
		}
		return n
	}
	return 0
}
