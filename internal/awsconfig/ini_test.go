package awsconfig

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

const secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"

func TestParseSharedCredentials(t *testing.T) {
	cases := map[string]struct {
		doc     string
		want    staticKeys
		wantErr string
	}{
		"Default": {
			doc:  "[default]\naws_access_key_id = AKID\naws_secret_access_key = " + secret + "\n",
			want: staticKeys{AccessKeyID: "AKID", SecretAccessKey: secret},
		},
		"SessionTokenCommentsAndOtherProfiles": {
			doc:  "# keys\n[prod]\naws_access_key_id=P\naws_secret_access_key=P\n\n[default]\nAWS_ACCESS_KEY_ID=AKID\naws_secret_access_key=" + secret + "\naws_session_token = TOKEN\n",
			want: staticKeys{AccessKeyID: "AKID", SecretAccessKey: secret, SessionToken: "TOKEN"},
		},
		"NoSectionHeader": {
			doc:  "aws_access_key_id = AKID\naws_secret_access_key = " + secret + "\n",
			want: staticKeys{AccessKeyID: "AKID", SecretAccessKey: secret},
		},
		"UpperCaseDefault": {
			doc:  "[DEFAULT]\naws_access_key_id = AKID\naws_secret_access_key = " + secret + "\n",
			want: staticKeys{AccessKeyID: "AKID", SecretAccessKey: secret},
		},
		"UnclosedSection": {doc: "[default\naws_secret_access_key = " + secret, wantErr: "malformed credentials INI"},
		"NotKeyValue":     {doc: "[default]\naws_access_key_id = A\n" + secret, wantErr: "malformed credentials INI"},
		"NoDefault":       {doc: "[prod]\naws_access_key_id = A\naws_secret_access_key = " + secret, wantErr: "no [default] profile"},
		"NoSecretKey":     {doc: "[default]\naws_access_key_id = A\n", wantErr: "has no aws_secret_access_key"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			got, err := parseSharedCredentials([]byte(tc.doc))
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("want an error containing %q, got %v", tc.wantErr, err)
				}
				if strings.Contains(err.Error(), secret) || strings.Contains(err.Error(), "EXAMPLEKEY") {
					t.Errorf("the error reveals the secret key: %v", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("-want, +got:\n%s", diff)
			}
		})
	}
}
