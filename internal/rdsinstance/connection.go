package rdsinstance

import (
	"net"
	"net/url"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/rds/types"

	"github.com/crossplane/crossplane-runtime/v2/pkg/reconciler/managed"
)

// Connection detail keys. endpoint, address, port, username and password
// (as attribute.password) are those the reference provider publishes; host,
// password, database and url are additions users asked for.
const (
	ConnEndpoint = "endpoint"
	ConnAddress  = "address"
	ConnHost     = "host"
	ConnPort     = "port"
	ConnUsername = "username"
	ConnPassword = "password"
	ConnDatabase = "database"
	ConnURL      = "url"

	// ConnAttributePassword is where the reference provider publishes the
	// password: it publishes sensitive attributes as attribute.<name>, and
	// the Compositions written for it read this key.
	ConnAttributePassword = "attribute.password"
)

// ConnectionDetails returns what a client needs to reach the database. The
// password is omitted when it is unknown to the provider (AWS manages it).
func ConnectionDetails(db types.DBInstance, password string) managed.ConnectionDetails {
	cd := managed.ConnectionDetails{}
	user := aws.ToString(db.MasterUsername)
	if user != "" {
		cd[ConnUsername] = []byte(user)
	}
	if password != "" {
		cd[ConnPassword] = []byte(password)
		cd[ConnAttributePassword] = []byte(password)
	}
	dbName := aws.ToString(db.DBName)
	if dbName != "" {
		cd[ConnDatabase] = []byte(dbName)
	}
	if db.Endpoint == nil || aws.ToString(db.Endpoint.Address) == "" {
		return cd
	}
	host := aws.ToString(db.Endpoint.Address)
	port := strconv.Itoa(int(aws.ToInt32(db.Endpoint.Port)))
	hostPort := net.JoinHostPort(host, port)
	cd[ConnEndpoint] = []byte(hostPort)
	cd[ConnAddress] = []byte(host)
	cd[ConnHost] = []byte(host)
	cd[ConnPort] = []byte(port)

	u := url.URL{Scheme: urlScheme(aws.ToString(db.Engine)), Host: hostPort}
	switch {
	case password != "":
		u.User = url.UserPassword(user, password)
	case user != "":
		u.User = url.User(user)
	}
	if dbName != "" {
		if u.Scheme == "sqlserver" {
			u.RawQuery = url.Values{"database": {dbName}}.Encode()
		} else {
			u.Path = "/" + dbName
		}
	}
	cd[ConnURL] = []byte(u.String())
	return cd
}

// FinalSnapshotName derives a final snapshot identifier from the instance
// identifier and the time of deletion, so that deleting a database whose
// spec names no snapshot still keeps its data. Identifiers are at most 255
// characters; the timestamp is kept whole.
func FinalSnapshotName(id string, at time.Time) string {
	suffix := "-final-" + at.UTC().Format("20060102-150405")
	if len(id)+len(suffix) > 255 {
		id = id[:255-len(suffix)]
	}
	return id + suffix
}
