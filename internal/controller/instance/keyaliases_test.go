package instance

import (
	"context"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	kmstypes "github.com/aws/aws-sdk-go-v2/service/kms/types"
)

type fakeKMS struct {
	calls int
	arn   string
}

func (f *fakeKMS) DescribeKey(context.Context, *kms.DescribeKeyInput, ...func(*kms.Options)) (*kms.DescribeKeyOutput, error) {
	f.calls++
	return &kms.DescribeKeyOutput{KeyMetadata: &kmstypes.KeyMetadata{Arn: aws.String(f.arn)}}, nil
}

// An alias costs one KMS call per session every aliasTTL, not one per
// reconcile, and is looked up again after it: it may name another key.
func TestKeyAliasesAreRememberedForAWhile(t *testing.T) {
	f := &fakeKMS{arn: "arn:aws:kms:ap-northeast-2:123456789012:key/one"}
	api := func() KMSAPI { return f }
	k := &keyAliases{}
	start := time.Date(2026, 12, 6, 0, 0, 0, 0, time.UTC)
	for i := range 100 {
		if got, err := k.resolve(context.Background(), api, "session", "alias/orders", start.Add(time.Duration(i)*time.Second)); err != nil || got != f.arn {
			t.Fatalf("resolve: want %s, got %s, %v", f.arn, got, err)
		}
	}
	if f.calls != 1 {
		t.Errorf("DescribeKey calls within %s: want 1, got %d", aliasTTL, f.calls)
	}
	if _, err := k.resolve(context.Background(), api, "other-session", "alias/orders", start); err != nil || f.calls != 2 {
		t.Errorf("another session's alias: want its own call, got %d calls, %v", f.calls, err)
	}
	f.arn = "arn:aws:kms:ap-northeast-2:123456789012:key/two"
	if got, _ := k.resolve(context.Background(), api, "session", "alias/orders", start.Add(aliasTTL)); got != f.arn {
		t.Errorf("after %s: want the alias's new key %s, got %s", aliasTTL, f.arn, got)
	}
}
