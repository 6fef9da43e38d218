package awsconfig

import (
	"testing"
)

// Any document parses or fails with one of the parser's own messages, never
// with text from the document (it holds secrets), and never panics.
func FuzzParseSharedCredentials(f *testing.F) {
	f.Add([]byte("[default]\naws_access_key_id = AKID\naws_secret_access_key = " + secret + "\n"))
	f.Add([]byte("aws_access_key_id=A\naws_secret_access_key=" + secret))
	f.Add([]byte("[DEFAULT]\naws_access_key_id = A\n[prod]\naws_secret_access_key = " + secret))
	f.Add([]byte("[default\n" + secret))
	f.Add([]byte("; comment\n# comment\n[profile default]\naws_session_token=T\n"))
	allowed := map[string]bool{
		errMalformedINI: true,
		"credentials INI has no [default] profile":                       true,
		"credentials INI [default] profile has no aws_access_key_id":     true,
		"credentials INI [default] profile has no aws_secret_access_key": true,
	}
	f.Fuzz(func(t *testing.T, doc []byte) {
		keys, err := parseSharedCredentials(doc)
		if err != nil {
			if !allowed[err.Error()] {
				t.Fatalf("an error other than the parser's own messages, which may quote the document: %q", err.Error())
			}
			return
		}
		if keys.AccessKeyID == "" || keys.SecretAccessKey == "" {
			t.Fatalf("accepted a document without both keys: %+v", keys)
		}
	})
}
