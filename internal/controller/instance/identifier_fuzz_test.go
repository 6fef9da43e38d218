package instance

import (
	"testing"
	"unicode"
)

// validIdentifier agrees with AWS's rules for a DB instance identifier,
// spelled out one by one: 1 to 63 letters, digits or hyphens; a letter
// first; no hyphen last; no two hyphens in a row.
// https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBInstance.html
func FuzzValidIdentifier(f *testing.F) {
	for _, s := range []string{"db", "production-db", "a", "9db", "db-", "db--x", "Db-1-x", "", "ä", "db_x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, id string) {
		want := awsAccepts(id)
		if got := validIdentifier(id) == nil; got != want {
			t.Fatalf("validIdentifier(%q): want valid %t, got %t", id, want, got)
		}
	})
}

func awsAccepts(id string) bool {
	if len(id) < 1 || len(id) > 63 {
		return false
	}
	for i, r := range id {
		ascii := r < unicode.MaxASCII
		switch {
		case !ascii:
			return false
		case i == 0 && !unicode.IsLetter(r):
			return false
		case r == '-' && (i == len(id)-1 || id[i+1] == '-'):
			return false
		case r != '-' && !unicode.IsLetter(r) && !unicode.IsDigit(r):
			return false
		}
	}
	return true
}
