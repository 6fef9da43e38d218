package providerconfig

import "testing"

func TestStableMessage(t *testing.T) {
	a := stable(`cannot validate AWS credentials with STS GetCallerIdentity: operation error STS: GetCallerIdentity, https response error StatusCode: 403, RequestID: 6f1c2a, api error InvalidClientTokenId: The security token included in the request is invalid.`)
	b := stable(`cannot validate AWS credentials with STS GetCallerIdentity: operation error STS: GetCallerIdentity, https response error StatusCode: 403, RequestID: 9e8d7c, api error InvalidClientTokenId: The security token included in the request is invalid.`)
	if a != b || a == "" {
		t.Errorf("two reports of one failure differ:\n%s\n%s", a, b)
	}
}
