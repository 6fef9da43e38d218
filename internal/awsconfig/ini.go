package awsconfig

import (
	"strings"

	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"
	"gopkg.in/ini.v1"
)

const (
	iniDefaultProfile = "default"

	keyAccessKeyID     = "aws_access_key_id"
	keySecretAccessKey = "aws_secret_access_key" //nolint:gosec // G101: the name of an INI key.
	keySessionToken    = "aws_session_token"

	errMalformedINI = "malformed credentials INI: each line must be a [section] header, a key = value pair, or a comment"
)

// staticKeys are the keys of one shared-credentials profile.
type staticKeys struct {
	AccessKeyID     string
	SecretAccessKey string
	SessionToken    string
}

// parseSharedCredentials reads the default profile of an AWS shared
// credentials (INI) document as the reference provider does (go-ini,
// case-insensitive): [default] or [DEFAULT], or keys before any section
// header. The document holds secrets, so the parser's own errors, which
// quote the offending line, never reach a message.
func parseSharedCredentials(doc []byte) (staticKeys, error) {
	cfg, err := ini.InsensitiveLoad(doc)
	if err != nil {
		return staticKeys{}, errors.New(errMalformedINI)
	}
	// Keys before any header and under [DEFAULT] land in go-ini's own
	// default section; [default] in another of the same name but case.
	var section *ini.Section
	for _, s := range cfg.Sections() {
		if strings.EqualFold(s.Name(), iniDefaultProfile) && len(s.Keys()) > 0 {
			section = s
			break
		}
	}
	if section == nil {
		return staticKeys{}, errors.Errorf("credentials INI has no [%s] profile", iniDefaultProfile)
	}
	keys := staticKeys{
		AccessKeyID:     section.Key(keyAccessKeyID).String(),
		SecretAccessKey: section.Key(keySecretAccessKey).String(),
		SessionToken:    section.Key(keySessionToken).String(),
	}
	for _, required := range []struct{ name, value string }{{keyAccessKeyID, keys.AccessKeyID}, {keySecretAccessKey, keys.SecretAccessKey}} {
		if required.value == "" {
			return staticKeys{}, errors.Errorf("credentials INI [%s] profile has no %s", iniDefaultProfile, required.name)
		}
	}
	return keys, nil
}
