package awsconfig

import (
	"bufio"
	"strings"

	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"
)

const (
	iniDefaultProfile = "default"

	keyAccessKeyID     = "aws_access_key_id"
	keySecretAccessKey = "aws_secret_access_key"
	keySessionToken    = "aws_session_token"
)

// staticKeys are the keys of one shared-credentials profile.
type staticKeys struct {
	AccessKeyID     string
	SecretAccessKey string
	SessionToken    string
}

// parseSharedCredentials reads the [default] profile of an AWS shared
// credentials (INI) document. Errors name line numbers and key names only:
// the document holds secrets, so none of its text may reach a message.
func parseSharedCredentials(doc []byte) (staticKeys, error) {
	profiles := map[string]map[string]string{}
	section := ""
	sc := bufio.NewScanner(strings.NewReader(string(doc)))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		switch {
		case line == "" || strings.HasPrefix(line, "#") || strings.HasPrefix(line, ";"):
			continue
		case strings.HasPrefix(line, "["):
			if !strings.HasSuffix(line, "]") {
				return staticKeys{}, errors.Errorf("malformed credentials INI: line %d opens a section header without closing it", n)
			}
			section = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(line[1:len(line)-1]), "profile "))
			if profiles[section] == nil {
				profiles[section] = map[string]string{}
			}
		default:
			k, v, ok := strings.Cut(line, "=")
			if !ok {
				return staticKeys{}, errors.Errorf("malformed credentials INI: line %d is neither a [section] nor a key = value pair", n)
			}
			if section == "" {
				return staticKeys{}, errors.Errorf("malformed credentials INI: line %d holds a key outside any [section]", n)
			}
			profiles[section][strings.ToLower(strings.TrimSpace(k))] = strings.TrimSpace(v)
		}
	}
	if err := sc.Err(); err != nil {
		return staticKeys{}, errors.New("malformed credentials INI: cannot read the document")
	}
	p, ok := profiles[iniDefaultProfile]
	if !ok {
		return staticKeys{}, errors.Errorf("credentials INI has no [%s] profile", iniDefaultProfile)
	}
	keys := staticKeys{AccessKeyID: p[keyAccessKeyID], SecretAccessKey: p[keySecretAccessKey], SessionToken: p[keySessionToken]}
	for _, required := range []struct{ name, value string }{{keyAccessKeyID, keys.AccessKeyID}, {keySecretAccessKey, keys.SecretAccessKey}} {
		if required.value == "" {
			return staticKeys{}, errors.Errorf("credentials INI [%s] profile has no %s", iniDefaultProfile, required.name)
		}
	}
	return keys, nil
}
